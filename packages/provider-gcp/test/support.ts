import http from 'node:http';
import { container as rootContainer } from 'tsyringe';
import type { Clock, InstanceFacts, RunningServer } from '@guise/core';
import {
  CredentialBroker,
  DEFAULT_FRESHNESS,
  NodeVaultSession,
  appRoleSessionConfig,
  TOKENS,
  createMetadataApp,
  listen,
  silentLogger,
  systemClock,
  registerCoreServices,
} from '@guise/core';
import type { FakeGoogleApis, FakeVault } from '@guise/testkit';
import { startFakeGoogleApis, startFakeVault } from '@guise/testkit';
import type { GceMetadataOptions, GceMetadataProvider } from '../src/index.js';
import {
  KeyAccessTokenSource,
  KeyIdTokenSource,
  registerGceMetadata,
  VaultGcpKeySource,
  VaultGcpTokenSource,
} from '../src/index.js';

export const FACTS: InstanceFacts = {
  hostname: 'build-07',
  fqdn: 'build-07.lab.example',
  ipv4: '10.1.2.3',
  mac: '0a:1b:2c:3d:4e:5f',
  machineId: '0123456789abcdef0123456789abcdef',
  tags: {},
  attributes: { 'ssh-keys': 'alice:ssh-ed25519 AAAA alice', 'cluster-name': 'not-from-facts' },
};

export const PROJECT = { projectId: 'guise-demo', numericProjectId: '123456789012' };
export const INSTANCE_ID = '13512546227574112017';
export const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];
export const STORAGE_SCOPES = ['https://www.googleapis.com/auth/devstorage.read_only'];

/** The whole chain on loopback: fake Vault (GCP engine, AppRole), fake Google, the GCE dialect. */
export interface GceStack {
  readonly url: string;
  readonly port: number;
  readonly vault: FakeVault;
  readonly google: FakeGoogleApis;
  readonly email: string;
  readonly provider: GceMetadataProvider;
  readonly broker: CredentialBroker;
  /** The agent's AppRole session (policy: the three GCP paths above). */
  readonly session: NodeVaultSession;
  close(): Promise<void>;
}

async function vaultApi(vault: FakeVault, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${vault.url}/v1/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'X-Vault-Token': vault.rootToken },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`vault ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as { data: unknown }).data;
}

/**
 * Vault set up as an operator would (README "GCP"): the GCP engine, a roleset issuing tokens for
 * the default scopes, one issuing tokens for storage, one issuing keys (for ID tokens), a policy
 * reading them, an AppRole role with it. The provider is wired by `registerGceMetadata`.
 */
export async function startGceStack(
  options: { clock?: Clock; maxHangingGets?: number } = {},
): Promise<GceStack> {
  const clock = options.clock ?? systemClock;
  const vault = await startFakeVault({ now: () => clock.now() });
  const google = await startFakeGoogleApis({ project: vault.gcp });
  await vaultApi(vault, 'sys/mounts/gcp', { type: 'gcp' });
  await vaultApi(vault, 'gcp/config', { ttl: '1h', max_ttl: '24h' });
  await vaultApi(vault, 'gcp/roleset/app', {
    secret_type: 'access_token',
    project: PROJECT.projectId,
    token_scopes: SCOPES,
  });
  const email = ((await vaultApi(vault, 'gcp/roleset/app')) as { service_account_email: string })
    .service_account_email;
  await vaultApi(vault, 'gcp/static-account/storage', {
    secret_type: 'access_token',
    service_account_email: email,
    token_scopes: STORAGE_SCOPES,
  });
  await vaultApi(vault, 'gcp/static-account/app-key', {
    secret_type: 'service_account_key',
    service_account_email: email,
  });
  await vaultApi(vault, 'sys/policies/acl/guise-gcp', {
    policy: [
      'path "gcp/roleset/app/token" { capabilities = ["read"] }',
      'path "gcp/static-account/storage/token" { capabilities = ["read"] }',
      'path "gcp/static-account/app-key/key" { capabilities = ["update"] }',
    ].join('\n'),
  });
  await vaultApi(vault, 'sys/auth/approle', { type: 'approle' });
  await vaultApi(vault, 'auth/approle/role/agent', { token_policies: ['guise-gcp'] });
  const { role_id: roleId } = (await vaultApi(vault, 'auth/approle/role/agent/role-id')) as {
    role_id: string;
  };
  const { secret_id: secretId } = (await vaultApi(
    vault,
    'auth/approle/role/agent/secret-id',
    {},
  )) as { secret_id: string };
  const session = new NodeVaultSession(
    appRoleSessionConfig(vault.url, { roleId, secretId }),
    clock,
    silentLogger,
  );
  await session.start();

  const container = rootContainer.createChildContainer();
  registerCoreServices(container, {
    clock,
    logger: silentLogger,
    freshness: DEFAULT_FRESHNESS,
    facts: FACTS,
  });
  const broker = container.resolve(CredentialBroker);
  const keys = new VaultGcpKeySource(session, { kind: 'static-account', name: 'app-key' }, clock);
  const gceOptions: GceMetadataOptions = {
    project: PROJECT,
    instance: { id: INSTANCE_ID, zone: 'europe-west1-b', tags: ['web', 'ci'] },
    serviceAccount: {
      email,
      scopes: SCOPES,
      token: new VaultGcpTokenSource(session, { kind: 'roleset', name: 'app' }, clock),
      scopedTokens: [
        {
          scopes: STORAGE_SCOPES,
          source: new VaultGcpTokenSource(
            session,
            { kind: 'static-account', name: 'storage' },
            clock,
          ),
        },
        {
          scopes: ['https://www.googleapis.com/auth/userinfo.email'],
          source: new KeyAccessTokenSource(
            broker,
            keys,
            ['https://www.googleapis.com/auth/userinfo.email'],
            clock,
            { tokenUrl: google.tokenUrl },
          ),
        },
      ],
      identity: new KeyIdTokenSource(broker, keys, clock, { tokenUrl: google.tokenUrl }),
    },
    ...(options.maxHangingGets === undefined ? {} : { maxHangingGets: options.maxHangingGets }),
  };
  registerGceMetadata(container, gceOptions);
  const [provider] = container.resolveAll(TOKENS.MetadataProvider);
  if (!provider) throw new Error('registerGceMetadata registered no provider');
  const server: RunningServer = await listen(
    createMetadataApp({ providers: [provider], logger: silentLogger }),
    '127.0.0.1',
    0,
  );
  return {
    url: server.url,
    port: server.port,
    vault,
    google,
    email,
    provider: provider as GceMetadataProvider,
    broker,
    session,
    async close() {
      await broker.shutdown();
      await server.close();
      await session.close();
      await google.stop();
      await vault.stop();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** One request over a fresh connection, path sent byte for byte (`//` and all). */
export function request(
  port: number,
  path: string,
  headers: Record<string, string> = { 'Metadata-Flavor': 'Google' },
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) flat[name] = String(value);
          resolve({
            status: res.statusCode ?? 0,
            headers: flat,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
