import http from 'node:http';
import { container as rootContainer } from 'tsyringe';
import type { InstanceFacts, RunningServer } from '@guise/core';
import {
  CredentialBroker,
  DEFAULT_FRESHNESS,
  ManualClock,
  NodeVaultSession,
  appRoleSessionConfig,
  TOKENS,
  createMetadataApp,
  listen,
  silentLogger,
  registerCoreServices,
} from '@guise/core';
import type { FakeAzure, FakeVault } from '@guise/testkit';
import { FakeAzureTenant, provisionAppRole, startFakeAzure, startFakeVault } from '@guise/testkit';
import type { AzureInstanceConfig, ManagedIdentity } from '../src/index.js';
import {
  AppServiceProvider,
  EntraTokenSource,
  registerAzureImds,
  VaultAzureSource,
} from '../src/index.js';

export const FACTS: InstanceFacts = {
  hostname: 'build-07',
  fqdn: 'build-07.lab.example',
  ipv4: '10.1.2.3',
  mac: '0a:1b:2c:3d:4e:5f',
  machineId: '0123456789abcdef0123456789abcdef',
  tags: { env: 'ci', team: 'platform' },
  attributes: {},
};

/** The stable ids the operator gives the user-assigned identity (clients select it by these). */
export const USER_ASSIGNED = {
  clientId: '11111111-2222-4333-8444-555555555555',
  objectId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  resourceId:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/guise/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app',
};

export const APP_SERVICE_SECRET = 'app-service-identity-header-secret';

export interface AzureHarness {
  /** The IMDS listener, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The App Service listener, `http://127.0.0.1:<port>/msi/token`. */
  readonly appServiceEndpoint: string;
  readonly clock: ManualClock;
  readonly vault: FakeVault;
  readonly azure: FakeAzure;
  readonly tenant: FakeAzureTenant;
  readonly broker: CredentialBroker;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Only a system-assigned identity (default: system-assigned plus one user-assigned). */
  readonly identities?: 'system' | 'system+user' | 'two-user';
  readonly propagationDelayMs?: number;
  /** `azure/roles/*` ttl and max_ttl. */
  readonly spTtl?: string;
  readonly spMaxTtl?: string;
  readonly instance?: AzureInstanceConfig;
  readonly identityRequestsPerSecond?: number;
}

/**
 * The provider as the agent composes it, with everything behind it real but local: testkit's
 * Vault (Azure engine, AppRole) and fake Entra over HTTPS, one tenant and one ManualClock shared by
 * all of them, core's NodeVaultSession and broker, VaultAzureSource → EntraTokenSource per
 * identity, the IMDS dialect on 127.0.0.1:ephemeral and the App Service dialect on another port.
 */
export async function startAzure(options: HarnessOptions = {}): Promise<AzureHarness> {
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  const now = () => clock.now();
  const tenant = new FakeAzureTenant({ now, propagationDelayMs: options.propagationDelayMs ?? 0 });
  const vault = await startFakeVault({ now, azure: tenant });
  const azure = await startFakeAzure({ tenant });
  const role = { azure_roles: '[]', ttl: options.spTtl ?? '1h', max_ttl: options.spMaxTtl ?? '4h' };
  const { roleId, secretId } = await provisionAppRole(vault, {
    policies: { azure: 'path "azure/creds/*" { capabilities = ["read"] }' },
    azureRoles: { system: role, app: role },
    role: { token_policies: 'azure', token_ttl: '24h' },
  });
  const session = new NodeVaultSession(
    appRoleSessionConfig(vault.url, { roleId, secretId }),
    clock,
    silentLogger,
  );
  await session.start();

  const scope = rootContainer.createChildContainer();
  registerCoreServices(scope, {
    clock,
    logger: silentLogger,
    freshness: DEFAULT_FRESHNESS,
    facts: FACTS,
  });
  const broker = scope.resolve(CredentialBroker);
  const entra = {
    tenantId: tenant.tenantId,
    authorityHost: azure.url,
    caPem: azure.caPem,
    propagationRetry: { windowMs: 20_000, baseDelayMs: 200, maxDelayMs: 1_000 },
  };
  const tokensFor = (vaultRole: string) =>
    new EntraTokenSource(
      broker,
      new VaultAzureSource(session, { role: vaultRole }, clock),
      entra,
      silentLogger,
    );
  const identities: ManagedIdentity[] = [];
  const shape = options.identities ?? 'system+user';
  if (shape !== 'two-user')
    identities.push({ name: 'system', systemAssigned: true, tokens: tokensFor('system') });
  if (shape !== 'system')
    identities.push({
      name: 'app',
      systemAssigned: false,
      ...USER_ASSIGNED,
      tokens: tokensFor('app'),
    });
  if (shape === 'two-user') {
    identities.push({
      name: 'other',
      systemAssigned: false,
      clientId: '22222222-3333-4444-8555-666666666666',
      tokens: tokensFor('system'),
    });
  }
  registerAzureImds(scope, {
    identities,
    instance: options.instance,
    tenantId: tenant.tenantId,
    identityRequestsPerSecond: options.identityRequestsPerSecond,
    appService: { secret: APP_SERVICE_SECRET },
  });
  const providers = scope.resolveAll(TOKENS.MetadataProvider);
  const server: RunningServer = await listen(
    createMetadataApp({ providers, logger: silentLogger }),
    '127.0.0.1',
    0,
  );
  const appService: RunningServer = await listen(
    createMetadataApp({ providers: [scope.resolve(AppServiceProvider)], logger: silentLogger }),
    '127.0.0.1',
    0,
  );
  return {
    url: server.url,
    port: server.port,
    appServiceEndpoint: `${appService.url}/msi/token`,
    clock,
    vault,
    azure,
    tenant,
    broker,
    start: async () => {
      await Promise.all(providers.map((provider) => provider.start?.()));
    },
    async close() {
      await broker.shutdown();
      await session.close();
      await Promise.all([server.close(), appService.close(), azure.stop(), vault.stop()]);
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** One GET over a fresh connection, the path sent byte for byte. */
export function get(
  port: number,
  path: string,
  headers: Record<string, string> = { Metadata: 'true' },
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            flat[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
          resolve({
            status: res.statusCode ?? 0,
            headers: flat,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The payload of a JWT (no verification: tests compare it with the fake Entra's records). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
