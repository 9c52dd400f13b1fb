import { DEFAULT_SERVER_LIMITS, isLocalOnlyAddress, parseListenAddress } from '@guise/core';
import { z } from 'zod';
import {
  durationSeconds,
  exactlyOneOf,
  httpUrl,
  nonEmpty,
  SECRET_REF_KEYS,
  secretRef,
  section,
  toSecretRef,
} from './schema-parts.js';

/** Where the agent listens unless told otherwise: the address every cloud SDK tries first. */
export const DEFAULT_LISTEN = '169.254.169.254:80';

const listenAddress = z.string().transform((value, ctx) => {
  try {
    return parseListenAddress(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected HOST:PORT, [IPV6]:PORT or PORT' });
    return z.NEVER;
  }
});

const logSection = section({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** AppRole login; defaults (wrapped: auto, file removed after reading) are the Vault session's. */
const approleAuth = section({
  mount: nonEmpty.optional(),
  /** The AppRole role a wrapped secret_id must have been created for (its creation_path is checked). */
  role: nonEmpty.optional(),
  roleId: secretRef,
  /** Omitted for roles created with bind_secret_id=false. */
  secretId: section({
    ...SECRET_REF_KEYS,
    /** `auto` unwraps values shaped like a Vault token, `true` always unwraps, `false` never does. */
    wrapped: z.literal(['auto', true, false]).optional(),
    /** Delete the file once read (default true, as Vault Agent does), so no secret_id lingers on disk. */
    removeAfterReading: z.boolean().optional(),
  })
    .superRefine(exactlyOneOf(['file', 'env', 'value']))
    .transform(({ wrapped, removeAfterReading, ...ref }) => ({
      ...toSecretRef(ref),
      wrapped,
      removeAfterReading,
    }))
    .optional(),
});

const vaultSection = section({
  address: httpUrl.optional(),
  addresses: z.array(httpUrl).min(1).optional(),
  namespace: nonEmpty.optional(),
  caFile: nonEmpty.optional(),
  /** Where the Vault token is kept (0600) so a restart does not need a new secret_id. */
  tokenFile: nonEmpty.optional(),
  auth: section({
    approle: approleAuth.optional(),
    /** A token someone else keeps fresh in a file, e.g. a Vault Agent sink. */
    token: section({ file: nonEmpty }).optional(),
  }).superRefine(exactlyOneOf(['approle', 'token'])),
})
  .superRefine(exactlyOneOf(['address', 'addresses']))
  // exactlyOneOf has made sure one of the two is there.
  .transform(({ address, addresses, ...vault }) => ({
    ...vault,
    addresses: addresses ?? (address ? [address] : []),
  }));

const stringMap = z.record(z.string(), z.string());

const factsSection = section({
  hostname: nonEmpty.optional(),
  fqdn: nonEmpty.optional(),
  ipv4: z.ipv4().optional(),
  mac: z.mac().optional(),
  machineId: nonEmpty.optional(),
  tags: stringMap.optional(),
  attributes: stringMap.optional(),
});

const credentialsSection = section({
  /** Least remaining lifetime of a served credential (clients refresh 5–15 min before expiry). */
  minRemaining: durationSeconds.default(20 * 60),
  revokeOnShutdown: z.boolean().default(false),
});

const awsRoleVault = section({
  mount: nonEmpty.default('aws'),
  endpoint: z.enum(['sts', 'creds']).default('sts'),
  /** The Vault AWS role; defaults to the IMDS role name. */
  role: nonEmpty.optional(),
  ttl: durationSeconds.optional(),
  roleArn: nonEmpty.optional(),
  roleSessionName: nonEmpty.optional(),
});

const awsSection = section({
  /** IMDSv2 session tokens, as EC2's HttpTokens: optional | required (| disabled: IMDSv1 only). */
  tokens: z.enum(['optional', 'required', 'disabled']).default('optional'),
  role: section({
    // IMDS serves the name as a path segment and clients strip whitespace: keep it to IAM's charset.
    name: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name (letters, digits, +=,.@_-)'),
    vault: awsRoleVault.prefault({}),
  }).transform(({ name, vault }) => ({ name, vault: { ...vault, role: vault.role ?? name } })),
  instance: section({
    instanceId: nonEmpty.optional(),
    instanceType: nonEmpty.optional(),
    amiId: nonEmpty.optional(),
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
      .optional(),
    region: nonEmpty.optional(),
    availabilityZone: nonEmpty.optional(),
    availabilityZoneId: nonEmpty.optional(),
    hostname: nonEmpty.optional(),
    localIpv4: z.ipv4().optional(),
    mac: z.mac().optional(),
    publicIpv4: z.ipv4().optional(),
    publicHostname: nonEmpty.optional(),
    tags: stringMap.optional(),
    exposeTags: z.boolean().optional(),
    userData: z.string().optional(),
    instanceProfile: section({ arn: nonEmpty.optional(), id: nonEmpty.optional() }).optional(),
  }).optional(),
});

/**
 * Limits of the metadata listener against slow (slowloris) and oversized requests. No dialect
 * reads a request body, so a body costs nothing but the time `requestTimeout` allows.
 */
const limitsSection = section({
  /** Largest request head; beyond it Node answers 431. */
  maxHeaderBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(DEFAULT_SERVER_LIMITS.maxHeaderBytes),
  headersTimeout: durationSeconds.default(DEFAULT_SERVER_LIMITS.headersTimeoutMs / 1000),
  requestTimeout: durationSeconds.default(DEFAULT_SERVER_LIMITS.requestTimeoutMs / 1000),
  keepAliveTimeout: durationSeconds.default(DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs / 1000),
});

export const agentConfigSchema = section({
  listen: listenAddress.default(parseListenAddress(DEFAULT_LISTEN)),
  /** Serving credentials on a routable address gives them to the network: it must be asked for. */
  allowRemote: z.boolean().default(false),
  log: logSection.prefault({}),
  limits: limitsSection.prefault({}),
  vault: vaultSection,
  facts: factsSection.prefault({}),
  credentials: credentialsSection.prefault({}),
  aws: awsSection,
}).superRefine((config, ctx) => {
  if (!config.allowRemote && !isLocalOnlyAddress(config.listen.host)) {
    ctx.addIssue({
      code: 'custom',
      path: ['listen'],
      message: `${config.listen.host} is neither loopback nor link-local; set allowRemote: true to serve credentials to the network`,
    });
  }
});

/** The agent's configuration after validation: defaults filled in, durations in seconds. */
export type AgentConfig = z.output<typeof agentConfigSchema>;
export type VaultConfig = AgentConfig['vault'];
export type AwsConfig = AgentConfig['aws'];
/** What a config file may contain, before defaults (for building configs in code). */
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
