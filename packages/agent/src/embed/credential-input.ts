import type { Clock, CredentialSource, Issued } from '@guise/core';
import { fromCallback } from '@guise/core';

/**
 * A function the emulator calls whenever it needs a new credential for `request` (see
 * `fromCallback`). It may return an `Issued` to set the expiry itself.
 */
export type CredentialCallback<T, R = void> = (
  request: R,
) => T | Issued<T> | Promise<T | Issued<T>>;

/**
 * How an emulated dialect is given a credential: a fixed value (re-stamped with a fresh lifetime on
 * every issue), a callback, or any CredentialSource (e.g. a Vault source).
 */
export type CredentialInput<T, R = void> = T | CredentialCallback<T, R> | CredentialSource<T, R>;

/**
 * What a dialect's credential value looks like, checked on what a caller's value or callback gives:
 * from plain JavaScript, a token of the wrong shape would otherwise be served as a broken answer
 * (`"expires_on":"undefined"`) that clients reject with an error naming none of this.
 */
export interface ValueShape<T> {
  /** The expected value, as the error names it: `AWS credentials { accessKeyId, ... }`. */
  readonly description: string;
  readonly matches: (value: unknown) => value is T;
}

/** The CredentialSource behind a `CredentialInput`; `id` names it in logs and metrics. */
export function credentialSourceOf<T, R = void>(
  id: string,
  input: CredentialInput<T, R>,
  options: { ttlSeconds?: number; clock: Clock; shape: ValueShape<T> },
): CredentialSource<T, R> {
  const lifetime = { clock: options.clock, ttlSeconds: options.ttlSeconds };
  if (isCallback(input)) {
    // The callback sees the whole request (an audience, a resource), so the broker must keep one
    // credential per distinct request, not one for them all.
    const keyOf = (request: R) => JSON.stringify(request) ?? '';
    const source = fromCallback(`callback:${id}`, input, lifetime);
    return { ...checked(source, options.shape), keyOf };
  }
  if (isSource(input)) return input;
  return checked(
    fromCallback(`static:${id}`, () => input, lifetime),
    options.shape,
  );
}

/** `source`, failing each issue whose value is not of `shape`, with what was expected and given. */
function checked<T, R>(
  source: CredentialSource<T, R>,
  shape: ValueShape<T>,
): CredentialSource<T, R> {
  return {
    ...source,
    async issue(request) {
      const issued = await source.issue(request);
      if (shape.matches(issued.value)) return issued;
      const given =
        typeof issued.value === 'object' && issued.value !== null
          ? `an object with ${Object.keys(issued.value).join(', ') || 'no keys'}`
          : typeof issued.value;
      throw new TypeError(`${source.id}: expected ${shape.description}, got ${given}`);
    },
  };
}

/** Whether `value` is an object whose `keys` are strings (and `optional` ones strings if present). */
export function hasStringFields(
  value: unknown,
  keys: readonly string[],
  optional: readonly string[] = [],
): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return (
    keys.every((key) => typeof fields[key] === 'string') &&
    optional.every((key) => fields[key] === undefined || typeof fields[key] === 'string')
  );
}

// Credential values are plain data (keys, token objects, strings), never functions or objects
// with an `issue` method, so these two checks tell the three kinds apart.
function isCallback<T, R>(input: CredentialInput<T, R>): input is CredentialCallback<T, R> {
  return typeof input === 'function';
}

function isSource<T, R>(input: CredentialInput<T, R>): input is CredentialSource<T, R> {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { issue?: unknown }).issue === 'function'
  );
}
