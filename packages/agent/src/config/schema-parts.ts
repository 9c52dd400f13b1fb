import { z } from 'zod';
import { DURATION_EXPECTATION, parseDurationSeconds } from './duration.js';

/**
 * Building blocks of the config schema. Every section is strict: a misspelt key is an error that
 * lists the keys the section accepts, because a silently ignored `revokeOnShutdwon: true` is worse
 * than a refusal to start.
 */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  const accepted = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown key; expected one of ${accepted}` : undefined,
  });
}

/** A duration as Vault writes it (`90s`, `20m`, `1h`) or whole seconds; parsed to seconds. */
export const durationSeconds = z
  .union([z.string(), z.number()], { error: DURATION_EXPECTATION })
  .transform((value, ctx) => {
    const seconds = parseDurationSeconds(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: DURATION_EXPECTATION });
      return z.NEVER;
    }
    return seconds;
  });

export const nonEmpty = z.string().min(1);

export const httpUrl = nonEmpty.refine(
  (value) => /^https?:\/\/[^/]/.test(value) && URL.canParse(value),
  {
    message: 'expected an http:// or https:// URL',
  },
);

/** A vSphere guestinfo variable name, as VMware Tools reads it. */
export const guestinfoKey = z
  .string()
  .regex(/^guestinfo\.[A-Za-z0-9_.-]+$/, 'expected a guestinfo key such as guestinfo.vault.roleid');

/** Where a secret is read from when the agent needs it. Exactly one of the four. */
export type SecretRef =
  | { readonly file: string }
  | { readonly env: string }
  | { readonly value: string }
  /** A vSphere guestinfo key such as `guestinfo.vault.secretid`, read with VMware Tools. */
  | { readonly guestinfo: string };

/** The keys of a secret reference, for sections that add options of their own to it. */
export const SECRET_REF_KEYS = {
  file: nonEmpty.optional(),
  env: nonEmpty.optional(),
  value: nonEmpty.optional(),
  guestinfo: guestinfoKey.optional(),
};

/** The keys of which a secret reference holds exactly one. */
export const SECRET_REF_SOURCES = ['file', 'env', 'value', 'guestinfo'] as const;

/** Narrows a checked secret reference (see `exactlyOneOf(SECRET_REF_SOURCES)`) to its one source. */
export function toSecretRef({
  file,
  env,
  value,
  guestinfo,
}: {
  file?: string;
  env?: string;
  value?: string;
  guestinfo?: string;
}): SecretRef {
  if (file !== undefined) return { file };
  if (env !== undefined) return { env };
  if (value !== undefined) return { value };
  if (guestinfo !== undefined) return { guestinfo };
  throw new Error('a secret reference must be checked with exactlyOneOf before it is narrowed');
}

/**
 * A secret given by reference: `{ file: PATH }`, `{ env: NAME }`, `{ guestinfo: KEY }` (vSphere)
 * or (for development) `{ value }`.
 */
export const secretRef = section(SECRET_REF_KEYS)
  .superRefine(exactlyOneOf(SECRET_REF_SOURCES))
  .transform(toSecretRef);

/** `{ a?: X, b?: Y }` where exactly one of the keys must be present. */
export function exactlyOneOf<T extends Record<string, unknown>>(
  keys: readonly (keyof T & string)[],
) {
  return (value: T, ctx: z.RefinementCtx) => {
    const given = keys.filter((key) => value[key] !== undefined);
    if (given.length === 0)
      ctx.addIssue({ code: 'custom', message: `expected one of ${keys.join(', ')}` });
    if (given.length > 1)
      ctx.addIssue({ code: 'custom', message: `expected only one of ${given.join(', ')}` });
  };
}
