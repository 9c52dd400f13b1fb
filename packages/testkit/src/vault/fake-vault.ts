import { FakeAwsAccount } from '../aws/fake-aws-account.js';
import { FakeGcpProject } from '../gcp/fake-gcp-project.js';
import { FakeAzureTenant } from '../azure/fake-azure-tenant.js';
import type { Clock } from '../clock.js';
import { listenOnLoopback } from '../net/listen.js';
import { randomBase62, randomString, randomUuid } from '../util/random.js';
import { approleBackend } from './auth/approle/approle-backend.js';
import { VaultCore } from './core.js';
import { awsBackend, type SessionTokenField } from './engines/aws/aws-backend.js';
import { gcpBackend } from './engines/gcp/gcp-backend.js';
import { azureBackend } from './engines/azure/azure-backend.js';
import { kvV1Backend } from './engines/kv/kv-v1-backend.js';
import { kvV2Backend } from './engines/kv/kv-v2-backend.js';
import { FaultSwitches, type VaultFaults } from './faults.js';
import { type RequestRecord, vaultHttpListener } from './http/vault-http-listener.js';
import { LeaseStore } from './leases/lease-store.js';
import { PolicyStore } from './policy/policy-store.js';
import { MountTable } from './routing/mount-table.js';
import type { BackendFactory, VaultServices } from './services.js';
import { systemBackend } from './sys/system-backend.js';
import { tokenBackend } from './tokens/token-backend.js';
import { TokenStore } from './tokens/token-store.js';
import { ResponseWrapper } from './wrapping/response-wrapper.js';

export interface FakeVaultOptions {
  /** Default '127.0.0.1'; only loopback addresses are accepted. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default: a random `hvs.` token. */
  rootToken?: string;
  /** Epoch ms; injectable so tests can move time (default Date.now). */
  now?: () => number;
  /** The account whose keys the AWS engine mints (default: a new one on the same clock). */
  aws?: FakeAwsAccount;
  /** The project whose service accounts the GCP engine mints for (default: a new one on the same clock). */
  gcp?: FakeGcpProject;
  /** The tenant whose service principals the Azure engine creates (default: a new one on the same clock). */
  azure?: FakeAzureTenant;
  /** Vault config `default_lease_ttl` in seconds (default 768h, as Vault's). */
  defaultLeaseTtlSeconds?: number;
  /** Vault config `max_lease_ttl` in seconds (default 768h, as Vault's). */
  maxLeaseTtlSeconds?: number;
  /** Where STS credentials carry their session token (default both, as Vault ≥ 1.16). */
  awsSessionTokenFields?: readonly SessionTokenField[];
  /** The version sys/health reports (default '1.20.0'). */
  version?: string;
  /** Vault's max request size (default 32 MiB); larger bodies get 413. */
  maxRequestBytes?: number;
}

export interface FakeVault {
  /** e.g. http://127.0.0.1:8200 (no trailing slash). */
  readonly url: string;
  readonly rootToken: string;
  readonly aws: FakeAwsAccount;
  readonly gcp: FakeGcpProject;
  readonly azure: FakeAzureTenant;
  /** Every request, for counting Vault calls in tests. */
  readonly requests: ReadonlyArray<RequestRecord>;
  readonly faults: VaultFaults;
  /**
   * The root token and every secret Vault's answers ever carried (tokens, wrapping tokens,
   * secret_ids, AWS secret keys and session tokens, GCP keys and tokens, Azure client secrets):
   * for tests asserting that none of them leaked into logs.
   */
  issuedSecrets(): string[];
  stop(): Promise<void>;
}

/** Vault's built-in default and max lease TTL: 768h (32 days). */
const SYSTEM_MAX_TTL_SECONDS = 768 * 3600;

/**
 * Starts an in-memory, Vault-API-compatible server, set up like `vault server -dev`: a root
 * token, `secret/` as KV v2, the token auth method; enable `aws`, `gcp`, `azure`, `kv` and `approle` through
 * `sys/mounts` and `sys/auth` as with a real Vault. Expired tokens and leases are revoked before
 * each request and once a second.
 */
export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const now: Clock = options.now ?? Date.now;
  const account = options.aws ?? new FakeAwsAccount({ now });
  const gcpProject = options.gcp ?? new FakeGcpProject({ now });
  const azureTenant = options.azure ?? new FakeAzureTenant({ now });
  const mounts = new MountTable({
    defaultLeaseTtlSeconds: options.defaultLeaseTtlSeconds ?? SYSTEM_MAX_TTL_SECONDS,
    maxLeaseTtlSeconds: options.maxLeaseTtlSeconds ?? SYSTEM_MAX_TTL_SECONDS,
  });
  const leases = new LeaseStore(now, mounts);
  const tokens = new TokenStore(now, mounts, (tokenId) => leases.revokeByToken(tokenId));
  const tokenMount = mounts.mount({
    path: 'auth/token/',
    type: 'token',
    backend: tokenBackend(tokens, now),
    description: 'token based credentials',
  });

  const createBackend: BackendFactory = (kind, type, engineOptions) => {
    if (kind === 'auth')
      return type === 'approle' ? approleBackend(tokens, mounts, now) : undefined;
    if (type === 'kv') return engineOptions['version'] === '2' ? kvV2Backend(now) : kvV1Backend();
    if (type === 'aws') {
      return awsBackend({
        account,
        now,
        mounts,
        sessionTokenFields: options.awsSessionTokenFields ?? ['security_token', 'session_token'],
      });
    }
    if (type === 'gcp') return gcpBackend({ project: gcpProject });
    if (type === 'azure') return azureBackend({ tenant: azureTenant, now });
    return undefined;
  };
  const services: VaultServices = {
    now,
    mounts,
    policies: new PolicyStore(),
    tokens,
    leases,
    wrapper: new ResponseWrapper(now, tokens, tokenMount),
    createBackend,
    identity: {
      version: options.version ?? '1.20.0',
      clusterName: `vault-cluster-${randomString('0123456789abcdef', 8)}`,
      clusterId: randomUuid(),
    },
  };
  mounts.mount({
    path: 'sys/',
    type: 'system',
    backend: systemBackend(services),
    description: 'system endpoints used for control, policy and debugging',
  });
  mounts.mount({
    path: 'secret/',
    type: 'kv',
    backend: kvV2Backend(now),
    options: { version: '2' },
    description: 'key/value secret storage',
  });
  const rootToken = options.rootToken ?? `hvs.${randomBase62(24)}`;
  tokens.issueRoot(rootToken, tokenMount);

  const faults = new FaultSwitches();
  const requests: RequestRecord[] = [];
  const issuedSecrets: string[] = [rootToken];
  const server = await listenOnLoopback(
    vaultHttpListener({
      core: new VaultCore(services),
      faults,
      identity: services.identity,
      now,
      requests,
      issuedSecrets,
      maxRequestBytes: options.maxRequestBytes ?? 32 * 1024 * 1024,
    }),
    {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      service: 'fake Vault',
      acceptListMethod: true,
    },
  );
  // Vault revokes on timers; with the real clock this keeps iam_user keys from outliving leases.
  const expiry = setInterval(() => {
    tokens.expireDue();
    leases.expireDue();
  }, 1000);
  expiry.unref();

  return {
    url: server.url,
    rootToken,
    aws: account,
    gcp: gcpProject,
    azure: azureTenant,
    requests,
    faults,
    issuedSecrets: () => [...issuedSecrets],
    stop: async () => {
      clearInterval(expiry);
      await server.close();
    },
  };
}
