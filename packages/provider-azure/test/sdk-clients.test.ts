import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { AzureHarness } from './support.js';
import { APP_SERVICE_SECRET, claimsOf, startAzure, USER_ASSIGNED } from './support.js';

/**
 * Unmodified clients against the IMDS and App Service dialects on loopback, pointed there by
 * their own variables: AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS base URL in @azure/identity's
 * imdsMsi.js and azure-identity's imds.py; it also skips their probes) and IDENTITY_ENDPOINT +
 * IDENTITY_HEADER (App Service in msal-node and azure-identity). Every token is checked against
 * the fake tenant: it must be the Vault-issued principal's (tid, oid), for the resource asked.
 * msal-node remembers the managed-identity source it detected for the life of the process, so
 * @azure/identity over the App Service dialect has a test file (a process) of its own.
 */
const ARM_SCOPE = 'https://management.azure.com/.default';
/** Everything any Azure SDK reads to pick a credential or an endpoint; each test sets its own. */
const AZURE_VARIABLES = [
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
  'AZURE_REGIONAL_AUTHORITY_NAME',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
  'MSI_ENDPOINT',
  'MSI_SECRET',
];

let azure: AzureHarness;
beforeAll(async () => {
  azure = await startAzure();
  await azure.start();
});
afterAll(() => azure.close());
afterEach(() => {
  vi.unstubAllEnvs();
});

function cleanAzureEnv(set: Record<string, string>): void {
  for (const name of AZURE_VARIABLES) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(set)) vi.stubEnv(name, value);
}

/** The principal the fake tenant knows for a token's `appid`, and the token's claims. */
function principalOf(token: string) {
  const claims = azure.azure.verifyToken(token);
  const principal = azure.tenant.principals().find((p) => p.appId === claims?.appid);
  return { claims, principal };
}

function expectVaultPrincipalToken(token: string, audience: string) {
  const { claims, principal } = principalOf(token);
  expect(principal, 'token of a principal Vault issued').toBeDefined();
  expect(claims).toMatchObject({
    tid: azure.tenant.tenantId,
    oid: principal?.objectId,
    aud: audience,
  });
  return claims;
}

describe('@azure/identity 4.13 (Node)', () => {
  it('ManagedIdentityCredential, system-assigned', async () => {
    cleanAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.url });
    const token = await new ManagedIdentityCredential().getToken(ARM_SCOPE);
    const claims = expectVaultPrincipalToken(token.token, 'https://management.azure.com');
    // msal-node derives the lifetime from expires_on alone (§3.1): it must be the token's exp.
    // msal-node round-trips expires_on through expires_in on its own clock: a second early at most.
    expect((claims?.exp ?? 0) * 1000 - token.expiresOnTimestamp).toBeOneOf([0, 1000]);
  });

  it('ManagedIdentityCredential with clientId gets the user-assigned identity', async () => {
    cleanAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.url });
    const system = await new ManagedIdentityCredential().getToken(ARM_SCOPE);
    const user = await new ManagedIdentityCredential({ clientId: USER_ASSIGNED.clientId }).getToken(
      'https://vault.azure.net/.default',
    );
    const claims = expectVaultPrincipalToken(user.token, 'https://vault.azure.net');
    expect(claims?.oid).not.toBe(claimsOf(system.token)['oid']);
  });

  it('ManagedIdentityCredential with an unknown clientId fails with "Identity not found"', async () => {
    cleanAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.url });
    await expect(
      new ManagedIdentityCredential({ clientId: '00000000-0000-0000-0000-000000000009' }).getToken(
        ARM_SCOPE,
      ),
    ).rejects.toThrow(/Identity not found/);
  });

  it('DefaultAzureCredential finds the managed identity (AZURE_CLIENT_ID selects user-assigned)', async () => {
    // `prod` keeps the chain to Environment, WorkloadIdentity and ManagedIdentity: no developer
    // tool credential may run `az` against the machine's own login.
    cleanAzureEnv({
      AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.url,
      AZURE_TOKEN_CREDENTIALS: 'prod',
    });
    const system = await new DefaultAzureCredential().getToken(
      'https://batch.core.windows.net/.default',
    );
    expectVaultPrincipalToken(system.token, 'https://batch.core.windows.net');
    vi.stubEnv('AZURE_CLIENT_ID', USER_ASSIGNED.clientId);
    const user = await new DefaultAzureCredential().getToken('https://storage.azure.com/.default');
    expect(claimsOf(user.token)['oid']).not.toBe(claimsOf(system.token)['oid']);
  });
});

const PYTHON = '/usr/bin/python3';
const hasPythonAzure =
  spawnSync(PYTHON, ['-c', 'import azure.identity'], { stdio: 'ignore' }).status === 0;
if (!hasPythonAzure)
  console.warn('[azure] Python azure-identity skipped: install Debian package python3-azure');
const PROBE = fileURLToPath(new URL('support/python_managed_identity.py', import.meta.url));

function python(args: string[], env: Record<string, string>) {
  return new Promise<{ version: string; token: string; expires_on: number; now: number }>(
    (resolve, reject) => {
      execFile(
        PYTHON,
        [PROBE, ...args],
        {
          env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', NO_PROXY: '*', ...env },
          timeout: 30_000,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
      );
    },
  );
}

describe.skipIf(!hasPythonAzure)('Python azure-identity (Debian python3-azure)', () => {
  it('ManagedIdentityCredential().get_token, system-assigned and with client_id', async () => {
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: azure.url };
    const system = await python([ARM_SCOPE], env);
    const claims = expectVaultPrincipalToken(system.token, 'https://management.azure.com');
    // azure-identity 1.13 int()s expires_on (§0.5).
    expect(system.expires_on).toBe(claims?.exp);
    const user = await python(['https://storage.azure.com/.default', USER_ASSIGNED.clientId], env);
    expect(expectVaultPrincipalToken(user.token, 'https://storage.azure.com')?.oid).not.toBe(
      claims?.oid,
    );
  });

  it('ManagedIdentityCredential over the App Service dialect', async () => {
    const result = await python([ARM_SCOPE], {
      IDENTITY_ENDPOINT: azure.appServiceEndpoint,
      IDENTITY_HEADER: APP_SERVICE_SECRET,
    });
    const claims = expectVaultPrincipalToken(result.token, 'https://management.azure.com');
    expect(result.expires_on).toBe(claims?.exp);
  });
});
