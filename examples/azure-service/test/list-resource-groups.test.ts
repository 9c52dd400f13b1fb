import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken } from '@azure/identity';
import { ManagedIdentityCredential } from '@azure/identity';
import type { RunningEmulator } from '@guise/agent';
import { startEmulator } from '@guise/agent';
import type { AzureAccessToken } from '@guise/provider-azure';
import { accessTokenOf } from '@guise/provider-azure';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { listResourceGroups } from '../src/list-resource-groups.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const ARM = 'https://management.azure.com';
const EXPIRES = 4_102_444_800; // 2100-01-01

// Every token the emulator's callback produced, by the resource it was asked for.
const produced = new Map<string, string>();
let issued = 0;

/** An unsigned JWT with the claims Azure IMDS renders (`aud` tells which resource it is for). */
function entraToken(resource: string): AzureAccessToken {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    aud: resource,
    tid: TENANT,
    oid: 'oid-app',
    appid: 'app-client',
    jti: `example-${++issued}`,
    nbf: 1_700_000_000,
    exp: EXPIRES,
  };
  const jwt = `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`;
  produced.set(resource, jwt);
  return accessTokenOf(jwt);
}

// A stand-in for Azure Resource Manager on loopback: it lists resource groups only for a bearer
// token meant for ARM in our tenant, and records every Authorization header it was sent.
const received: (string | undefined)[] = [];
const api = http.createServer((request, response) => {
  const authorization = request.headers.authorization;
  received.push(authorization);
  const claims = claimsOf(authorization);
  response.setHeader('content-type', 'application/json');
  if (
    request.url !== `/subscriptions/${SUBSCRIPTION}/resourcegroups?api-version=2021-04-01` ||
    claims?.['aud'] !== ARM ||
    claims['tid'] !== TENANT
  ) {
    response.statusCode = 401;
    response.end(JSON.stringify({ error: { code: 'InvalidAuthenticationToken' } }));
    return;
  }
  response.end(JSON.stringify({ value: [{ name: 'rg-web' }, { name: 'rg-data' }] }));
});

function claimsOf(authorization: string | undefined): Record<string, unknown> | undefined {
  const payload = /^Bearer [\w-]+\.([\w-]+)\.[\w-]*$/.exec(authorization ?? '')?.[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

// Variables that would make @azure/identity pick another credential (a service principal, workload
// identity, App Service) or another managed-identity flavour are unset. AZURE_TOKEN_CREDENTIALS
// narrows DefaultAzureCredential to managed identity, so no developer login (azure-cli, VS Code)
// is tried. One emulator for the file: with a second one (another port) in the same process,
// ManagedIdentityCredential times out (see packages/agent/test/emulator-azure.test.ts).
const ENV = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IMDS_ENDPOINT',
];
let apiUrl: string;
let imds: RunningEmulator;

beforeAll(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  // The emulator serves the tokens this callback makes, as Azure IMDS would for the VM's
  // system-assigned managed identity.
  imds = await startEmulator({
    azure: {
      tenantId: TENANT,
      identities: [{ name: 'app', systemAssigned: true, tokens: entraToken }],
    },
  });
  for (const name of ENV) vi.stubEnv(name, undefined);
  vi.stubEnv('AZURE_TOKEN_CREDENTIALS', 'ManagedIdentityCredential');
  for (const [name, value] of Object.entries(imds.env())) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await imds.stop();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

it('calls ARM with the token the emulator served, through DefaultAzureCredential', async () => {
  expect(imds.env()).toEqual({ AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url });
  expect(await listResourceGroups(SUBSCRIPTION, { endpoint: apiUrl })).toEqual([
    'rg-web',
    'rg-data',
  ]);
  const token = produced.get(ARM);
  expect(token).toBeDefined();
  expect(received).toEqual([`Bearer ${token}`]);
});

it('works with ManagedIdentityCredential named explicitly', async () => {
  received.length = 0;
  const credential = new ManagedIdentityCredential();
  expect(await listResourceGroups(SUBSCRIPTION, { endpoint: apiUrl, credential })).toEqual([
    'rg-web',
    'rg-data',
  ]);
  expect(received).toEqual([`Bearer ${produced.get(ARM)}`]);
});

it('is turned away by the stand-in API with a token not meant for ARM', async () => {
  received.length = 0;
  const elsewhere = entraToken('https://vault.azure.net');
  const credential = {
    getToken: async (): Promise<AccessToken> => ({
      token: elsewhere.accessToken,
      expiresOnTimestamp: EXPIRES * 1000,
    }),
  };
  await expect(listResourceGroups(SUBSCRIPTION, { endpoint: apiUrl, credential })).rejects.toThrow(
    'ARM answered 401',
  );
  expect(received).toEqual([`Bearer ${elsewhere.accessToken}`]);
});
