import { request } from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeAzure,
  FakeAzureTenant,
  type FakeVault,
  provisionAppRole,
  startFakeAzure,
  startFakeVault,
} from '../src/index.js';
import { ManualClock, START_MS } from './support/manual-clock.js';
import { dataOf, vaultFetch } from './support/vault-http.js';

/** One HTTPS exchange trusting only the fake's CA (as a client given `tlsOptions.ca` would). */
function httpsJson(
  url: string,
  ca: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('Vault Azure engine, fake Entra and ARM', () => {
  let clock: ManualClock;
  let tenant: FakeAzureTenant;
  let vault: FakeVault;
  let azure: FakeAzure;
  let appToken: string;

  beforeEach(async () => {
    clock = new ManualClock(START_MS);
    tenant = new FakeAzureTenant({ now: clock.now });
    vault = await startFakeVault({ now: clock.now, azure: tenant });
    azure = await startFakeAzure({ tenant });
    const { roleId, secretId } = await provisionAppRole(vault, {
      policies: { azure: 'path "azure/creds/*" { capabilities = ["read"] }' },
      azureRoles: { App: { azure_roles: '[]', ttl: '1h', max_ttl: '2h' } },
      role: { token_policies: 'azure' },
    });
    const login = await vaultFetch(vault.url, 'auth/approle/login', {
      body: { role_id: roleId, secret_id: secretId },
    });
    appToken = String((login.json as { auth: { client_token: string } }).auth.client_token);
  });
  afterEach(async () => {
    await azure.stop();
    await vault.stop();
  });

  const token = (clientId: string, clientSecret: string, scope: string) =>
    httpsJson(`${azure.url}/${tenant.tenantId}/oauth2/v2.0/token`, azure.caPem, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        scope,
        grant_type: 'client_credentials',
      }).toString(),
    });

  it('issues a service principal per lease (renewable), revoke deletes it; role names are lower-cased', async () => {
    const creds = await vaultFetch(vault.url, 'azure/creds/app', { token: appToken });
    const lease = creds.json as { lease_id: string; renewable: boolean; lease_duration: number };
    expect(lease).toMatchObject({ renewable: true, lease_duration: 3600 });
    const { client_id: clientId } = dataOf(creds) as { client_id: string; client_secret: string };
    expect(tenant.principals().map((p) => p.appId)).toContain(clientId);
    const renew = async () =>
      (
        (
          await vaultFetch(vault.url, 'sys/leases/renew', {
            token: appToken,
            method: 'PUT',
            body: { lease_id: lease.lease_id },
          })
        ).json as { lease_duration: number }
      ).lease_duration;
    clock.advance(50 * 60_000);
    expect(await renew()).toBe(3600);
    clock.advance(50 * 60_000);
    // Capped at max_ttl, 2h from issue: 20 minutes left.
    expect(await renew()).toBe(1200);
    await vaultFetch(vault.url, 'sys/leases/revoke', {
      token: vault.rootToken,
      method: 'PUT',
      body: { lease_id: lease.lease_id },
    });
    expect(tenant.principals().map((p) => p.appId)).not.toContain(clientId);
    const missing = await vaultFetch(vault.url, 'azure/creds/nope', { token: vault.rootToken });
    expect(missing.json).toEqual({ errors: ["role 'nope' does not exist"] });
  });

  it('a role with application_object_id adds a secret to that app and removes it on revoke', async () => {
    const { principal, secret } = tenant.createServicePrincipal('existing-app');
    await vaultFetch(vault.url, 'azure/roles/existing', {
      token: vault.rootToken,
      body: { application_object_id: principal.applicationObjectId, ttl: '1h' },
    });
    const creds = await vaultFetch(vault.url, 'azure/creds/existing', { token: vault.rootToken });
    const data = dataOf(creds) as { client_id: string; client_secret: string };
    expect(data.client_id).toBe(principal.appId);
    expect(data.client_secret).not.toBe(secret);
    expect(tenant.authenticate(principal.appId, data.client_secret)).toMatchObject({
      objectId: principal.objectId,
    });
    await vaultFetch(vault.url, 'sys/leases/revoke', {
      token: vault.rootToken,
      method: 'PUT',
      body: { lease_id: (creds.json as { lease_id: string }).lease_id },
    });
    expect(tenant.authenticate(principal.appId, data.client_secret)).toMatchObject({
      kind: 'invalid-secret',
    });
    // The app itself and its other secret stay.
    expect(tenant.authenticate(principal.appId, secret)).toMatchObject({ appId: principal.appId });
  });

  it('Entra: OpenID issuer on its own origin, JWTs with tid/oid/aud/exp, AADSTS errors while unpropagated', async () => {
    const openId = await httpsJson(
      `${azure.url}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`,
      azure.caPem,
    );
    expect(String(openId.json['issuer'])).toMatch(new RegExp(`^${azure.url}/`));

    tenant.propagationDelayMs = 10_000;
    const creds = dataOf(await vaultFetch(vault.url, 'azure/creds/app', { token: appToken })) as {
      client_id: string;
      client_secret: string;
    };
    const early = await token(
      creds.client_id,
      creds.client_secret,
      'https://management.azure.com//.default',
    );
    expect(early.status).toBe(400);
    expect(early.json).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    clock.advance(10_000);
    const wrong = await token(creds.client_id, 'wrong', 'https://management.azure.com//.default');
    expect([wrong.status, wrong.json['error_codes']]).toEqual([401, [7000215]]);

    const issued = await token(
      creds.client_id,
      creds.client_secret,
      'https://management.azure.com//.default',
    );
    expect(issued.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(tenant.issuedSecrets()).toEqual(
      expect.arrayContaining([creds.client_secret, String(issued.json['access_token'])]),
    );
    const claims = azure.verifyToken(String(issued.json['access_token']));
    const principal = tenant.principals().find((p) => p.appId === creds.client_id);
    expect(claims).toMatchObject({
      tid: tenant.tenantId,
      oid: principal?.objectId,
      aud: 'https://management.azure.com/',
      exp: Math.floor(START_MS / 1000) + 10 + 3599,
    });

    const subscriptions = await httpsJson(
      `${azure.url}/subscriptions?api-version=2019-11-01`,
      azure.caPem,
      {
        headers: { Authorization: `Bearer ${String(issued.json['access_token'])}` },
      },
    );
    expect(subscriptions.json['value']).toEqual([
      expect.objectContaining({ subscriptionId: tenant.subscriptionId, tenantId: tenant.tenantId }),
    ]);
    const forged = await httpsJson(`${azure.url}/subscriptions`, azure.caPem, {
      headers: { Authorization: 'Bearer a.b.c' },
    });
    expect(forged.status).toBe(401);
  });
});
