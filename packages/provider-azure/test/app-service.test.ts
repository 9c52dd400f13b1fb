import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import type { AzureHarness } from './support.js';
import { APP_SERVICE_SECRET, get, startAzure, USER_ASSIGNED } from './support.js';

/**
 * The App Service dialect (reference/azure-imds.md §2.1) on its own loopback listener. Its own
 * file because msal-node remembers the managed-identity source it detected for the whole process.
 */
let azure: AzureHarness;
beforeAll(async () => {
  azure = await startAzure();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await azure.close();
});

const port = () => Number(new URL(azure.appServiceEndpoint).port);
const query = '/msi/token?api-version=2019-08-01&resource=https://vault.azure.net';

describe('App Service dialect', () => {
  it('@azure/identity ManagedIdentityCredential gets the Vault principal’s token', async () => {
    vi.stubEnv('AZURE_POD_IDENTITY_AUTHORITY_HOST', undefined);
    vi.stubEnv('IDENTITY_ENDPOINT', azure.appServiceEndpoint);
    vi.stubEnv('IDENTITY_HEADER', APP_SERVICE_SECRET);
    const token = await new ManagedIdentityCredential().getToken(
      'https://management.azure.com/.default',
    );
    const claims = azure.azure.verifyToken(token.token);
    const principal = azure.tenant.principals().find((p) => p.appId === claims?.appid);
    expect(claims).toMatchObject({ tid: azure.tenant.tenantId, oid: principal?.objectId });
    // msal-node turns expires_on into expires_in on its own clock and back when it caches the token
    // (BaseManagedIdentitySource.getServerTokenResponse): a second boundary in between makes it a
    // second early, never later.
    expect((claims?.exp ?? 0) * 1000 - token.expiresOnTimestamp).toBeOneOf([0, 1000]);
  });

  it('answers in App Service’s shape: strings, epoch expires_on, no expires_in', async () => {
    const res = await get(port(), `${query}&client_id=${USER_ASSIGNED.clientId}`, {
      'X-IDENTITY-HEADER': APP_SERVICE_SECRET,
    });
    const body = res.json<Record<string, string>>();
    expect(Object.keys(body)).toEqual([
      'access_token',
      'expires_on',
      'resource',
      'token_type',
      'client_id',
    ]);
    expect(body).toMatchObject({
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
      client_id: USER_ASSIGNED.clientId,
    });
    expect(body['expires_on']).toBe(
      String(azure.azure.verifyToken(body['access_token'] ?? '')?.exp),
    );
  });

  it('answers a resource Entra refuses with 400 invalid_resource, as IMDS does', async () => {
    const res = await get(port(), '/msi/token?api-version=2019-08-01&resource=a+b', {
      'X-IDENTITY-HEADER': APP_SERVICE_SECRET,
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_resource',
      error_description: expect.stringMatching(/^AADSTS1002012: /) as unknown,
    });
  });

  it('refuses a missing or wrong X-IDENTITY-HEADER and an old api-version', async () => {
    expect((await get(port(), query, {})).status).toBe(401);
    expect((await get(port(), query, { 'X-IDENTITY-HEADER': 'wrong' })).status).toBe(401);
    const old = await get(port(), query.replace('2019-08-01', '2017-09-01'), {
      'X-IDENTITY-HEADER': APP_SERVICE_SECRET,
    });
    expect(old.status).toBe(400);
  });

  it('answers the token path in any case and with a trailing slash, and only to GET', async () => {
    const headers = { 'X-IDENTITY-HEADER': APP_SERVICE_SECRET };
    const upper = await get(port(), query.replace('/msi/token', '/MSI/Token/'), headers);
    expect(upper.json()).toMatchObject({ resource: 'https://vault.azure.net' });
    const post = await get(port(), query, headers, 'POST');
    expect([post.status, post.text]).toEqual([
      404,
      '{"error":"not_found","error_description":"Not found"}',
    ]);
  });
});
