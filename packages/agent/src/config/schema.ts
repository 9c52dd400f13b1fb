// From core's light entry: the config is checked in a process that loads nothing else of core.
import {
  DEFAULT_SERVER_LIMITS,
  isLocalOnlyAddress,
  ListenAddressError,
  parseListenAddress,
} from '@guise/core/listen';
import { z } from 'zod';
import {
  durationSeconds,
  exactlyOneOf,
  httpUrl,
  nonEmpty,
  SECRET_REF_KEYS,
  SECRET_REF_SOURCES,
  guestinfoKey,
  secretRef,
  section,
  toSecretRef,
} from './schema-parts.js';
import { gcpSection } from './gcp-schema.js';
import { DEFAULT_IMDS_TOKENS, IMDS_TOKEN_MODES } from './imds-token-modes.js';

/** Where the agent listens unless told otherwise: the address every cloud SDK tries first. */
export const DEFAULT_LISTEN = '169.254.169.254:80';

const listenAddress = z.string().transform((value, ctx) => {
  try {
    return parseListenAddress(value);
  } catch (error) {
    const reason = error instanceof ListenAddressError ? error.reason : String(error);
    ctx.addIssue({ code: 'custom', message: reason });
    return z.NEVER;
  }
});

const logSection = section({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `auto`: readable lines on a terminal, JSON under systemd (JOURNAL_STREAM) and in pipes. */
  format: z.enum(['auto', 'json', 'text']).default('auto'),
});

/** Prometheus metrics, /healthz and /readyz on a listener of their own; off unless `listen` is set. */
const metricsSection = section({
  listen: listenAddress.optional(),
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
    .superRefine(exactlyOneOf(SECRET_REF_SOURCES))
    .transform(({ wrapped, removeAfterReading, ...ref }) => ({
      ...toSecretRef(ref),
      wrapped,
      removeAfterReading,
    }))
    .optional(),
});

const vaultSection = section({
  /** One address, or `{ guestinfo: guestinfo.vault.vaultaddr }` as vSphere tooling hands it over. */
  address: z.union([httpUrl, section({ guestinfo: guestinfoKey })]).optional(),
  addresses: z.array(httpUrl).min(1).optional(),
  namespace: nonEmpty.optional(),
  caFile: nonEmpty.optional(),
  /** Where the Vault token is kept (0600) so a restart does not need a new secret_id. */
  tokenFile: nonEmpty.optional(),
  /**
   * How long one Vault request may take before it counts as a connection failure (retried with
   * backoff, like an unreachable Vault). Clients never wait on it while a credential is cached.
   */
  requestTimeout: durationSeconds.pipe(z.number().min(1, 'expected at least 1s')).default(30),
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
    addresses: addresses ?? (typeof address === 'string' ? [address] : []),
    /** Set when the address is read from guestinfo at start (see resolveVaultAddresses). */
    addressFrom: typeof address === 'object' ? address : undefined,
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
  /**
   * Read `guestinfo.guise.*` facts from vSphere (hostname, fqdn, ipv4, mac, machineid, tags), and
   * the attributes named in `attributes`; the keys above still win over guestinfo.
   */
  guestinfo: z
    .union([
      z.boolean(),
      section({ attributes: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).default([]) }),
    ])
    .optional(),
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
  /** How long a new iam_user key is held back for IAM to propagate it (default 10 s). */
  propagationDelay: durationSeconds.optional(),
});

const awsSection = section({
  /** IMDSv2 session tokens, as EC2's HttpTokens: optional | required (| disabled: IMDSv1 only). */
  tokens: z.enum(IMDS_TOKEN_MODES).default(DEFAULT_IMDS_TOKENS),
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

const azureIdentity = section({
  /** For logs; also the default Vault role. */
  name: z.string().regex(/^[\w.-]{1,64}$/, 'expected letters, digits, ._-'),
  /** The identity served when a request names none (at most one). */
  systemAssigned: z.boolean().default(false),
  /** What clients select a user-assigned identity by (`client_id`, `object_id`, `msi_res_id`). */
  clientId: z.uuid().optional(),
  objectId: z.uuid().optional(),
  resourceId: z
    .string()
    .regex(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\//i,
      'expected an ARM resource id',
    )
    .optional(),
  vault: section({
    mount: nonEmpty.default('azure'),
    /** The Vault Azure role; defaults to the identity's name. */
    role: nonEmpty.optional(),
  }).prefault({}),
})
  .superRefine((identity, ctx) => {
    if (
      !identity.systemAssigned &&
      !identity.clientId &&
      !identity.objectId &&
      !identity.resourceId
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a user-assigned identity needs clientId, objectId or resourceId for clients to select it by',
      });
    }
  })
  .transform(({ vault, ...identity }) => ({
    ...identity,
    vault: { ...vault, role: vault.role ?? identity.name },
  }));

const azureSection = section({
  /** The Entra tenant of Vault's Azure engine (its `azure/config` tenant_id). */
  tenantId: z.uuid(),
  /** Entra's login host; https only (MSAL refuses http). */
  authorityHost: httpUrl
    .refine((url) => url.startsWith('https://'), 'expected an https:// URL')
    .default('https://login.microsoftonline.com'),
  /** A CA bundle (PEM) to trust for the authority host instead of the system's. */
  caFile: nonEmpty.optional(),
  /** How long to retry Entra while a new service principal is not known to it yet. */
  propagationWindow: durationSeconds.default(60),
  identities: z
    .array(azureIdentity)
    .min(1)
    .superRefine((identities, ctx) => {
      if (identities.filter((identity) => identity.systemAssigned).length > 1)
        ctx.addIssue({ code: 'custom', message: 'at most one identity may be systemAssigned' });
    }),
  /** Identity token requests per second before 429 (IMDS: 20). */
  identityRequestsPerSecond: z.number().int().positive().default(20),
  instance: section({
    vmId: z.uuid().optional(),
    name: nonEmpty.optional(),
    location: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected an Azure region name such as westeurope')
      .optional(),
    resourceGroupName: nonEmpty.optional(),
    subscriptionId: z.uuid().optional(),
    vmSize: nonEmpty.optional(),
    osType: z.enum(['Linux', 'Windows']).optional(),
    azEnvironment: nonEmpty.optional(),
    zone: z.string().optional(),
    tags: stringMap.optional(),
    privateIpv4: z.ipv4().optional(),
    publicIpv4: z.ipv4().optional(),
    subnetPrefix: z.number().int().min(0).max(32).optional(),
    mac: z.mac().optional(),
  }).optional(),
  /** The App Service dialect (IDENTITY_ENDPOINT + IDENTITY_HEADER) on a listener of its own. */
  appService: section({
    listen: listenAddress,
    /** What clients send in X-IDENTITY-HEADER (their IDENTITY_HEADER), 16 characters or more. */
    secret: secretRef,
  }).optional(),
});

/**
 * Limits of the metadata listeners against slow (slowloris) and oversized requests. No dialect
 * reads a request body: one is never buffered, and its connection is closed once answered.
 */
const limitsSection = section({
  /** Largest request head; beyond it Node answers 431. */
  maxHeaderBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(DEFAULT_SERVER_LIMITS.maxHeaderBytes),
  /** Largest request body a request may announce; beyond it the listener answers 413. */
  maxBodyBytes: z
    .number()
    .int()
    .min(0)
    .max(1024 * 1024)
    .default(DEFAULT_SERVER_LIMITS.maxBodyBytes),
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
  metrics: metricsSection.prefault({}),
  aws: awsSection.optional(),
  gcp: gcpSection.optional(),
  azure: azureSection.optional(),
}).superRefine((config, ctx) => {
  if (!config.aws && !config.gcp && !config.azure) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'nothing to serve: configure aws, gcp or azure',
    });
  }
  const credentials = 'serve credentials to the network';
  const listeners = [
    { path: ['listen'], host: config.listen.host, exposes: credentials },
    ...(config.azure?.appService
      ? [
          {
            path: ['azure', 'appService', 'listen'],
            host: config.azure.appService.listen.host,
            exposes: credentials,
          },
        ]
      : []),
    ...(config.metrics.listen
      ? [
          {
            path: ['metrics', 'listen'],
            host: config.metrics.listen.host,
            exposes: 'expose metrics',
          },
        ]
      : []),
  ];
  for (const { path, host, exposes } of listeners) {
    if (config.allowRemote || isLocalOnlyAddress(host)) continue;
    ctx.addIssue({
      code: 'custom',
      path,
      message: `${host} is neither loopback nor link-local; set allowRemote: true to ${exposes}`,
    });
  }
});

/** The agent's configuration after validation: defaults filled in, durations in seconds. */
export type AgentConfig = z.output<typeof agentConfigSchema>;
export type VaultConfig = AgentConfig['vault'];
export type AwsConfig = NonNullable<AgentConfig['aws']>;
export type GcpConfig = NonNullable<AgentConfig['gcp']>;
export type AzureConfig = NonNullable<AgentConfig['azure']>;
/** What a config file may contain, before defaults (for building configs in code). */
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
