import { createSign, createVerify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeGoogleApis,
  type FakeVault,
  GOOGLE_TOKEN_URL,
  startFakeGoogleApis,
  startFakeVault,
} from '../src/index.js';
import { ManualClock, START_MS } from './support/manual-clock.js';
import { dataOf, vaultFetch } from './support/vault-http.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** A JWT-bearer grant as google-auth-library signs it (RS256, `kid` optional). */
function grant(
  key: { private_key: string; private_key_id: string; client_email: string },
  claims: Record<string, unknown>,
  withKid = true,
): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const header = { alg: 'RS256', typ: 'JWT', ...(withKid ? { kid: key.private_key_id } : {}) };
  const input = `${encode(header)}.${encode({ iss: key.client_email, aud: GOOGLE_TOKEN_URL, ...claims })}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.private_key, 'base64url');
  return `${input}.${signature}`;
}

describe('Vault GCP engine and fake Google APIs (reference vault-api.md §4)', () => {
  let clock: ManualClock;
  let vault: FakeVault;
  let google: FakeGoogleApis;
  const root = () => vault.rootToken;
  const call = (path: string, body?: unknown, method?: string) =>
    vaultFetch(vault.url, path, { token: root(), body, ...(method ? { method } : {}) });
  const tokenGrant = async (assertion: string) => {
    const res = await fetch(google.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    clock = new ManualClock(START_MS);
    vault = await startFakeVault({ now: clock.now });
    google = await startFakeGoogleApis({ project: vault.gcp });
    await call('sys/mounts/gcp', { type: 'gcp' });
    await call('gcp/roleset/app', { secret_type: 'access_token', token_scopes: SCOPE });
    await call('gcp/roleset/keys', { secret_type: 'service_account_key' });
    await call('gcp/impersonated-account/imp', {
      service_account_email: 'target@guise-demo.iam.gserviceaccount.com',
      token_scopes: [SCOPE],
      ttl: '15m',
    });
  });
  afterEach(async () => {
    await google.stop();
    await vault.stop();
  });

  it('issues tokens without a lease that tokeninfo knows until they expire', async () => {
    const answer = await call('gcp/roleset/app/token');
    expect(answer.json).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0 });
    const data = dataOf(answer);
    expect(data).toMatchObject({
      token_ttl: 3600,
      expires_at_seconds: Math.floor(START_MS / 1000) + 3600,
    });
    const info = async () =>
      fetch(`${google.url}/oauth2/v3/tokeninfo?access_token=${String(data['token'])}`);
    const email = dataOf(await call('gcp/roleset/app'))['service_account_email'];
    expect(await (await info()).json()).toMatchObject({ email, scope: SCOPE, expires_in: '3600' });
    clock.advance(3600_000);
    expect((await info()).status).toBe(400);
  });

  it('gives impersonated tokens the account ttl and answers the deprecated token/:roleset', async () => {
    expect(dataOf(await call('gcp/impersonated-account/imp/token'))['token_ttl']).toBe(900);
    expect(dataOf(await call('gcp/token/app'))['token']).toMatch(/^ya29\./);
  });

  it('refuses what a roleset cannot issue, with Vault’s messages', async () => {
    expect((await call('gcp/roleset/keys/token')).json).toEqual({
      errors: [
        "role set 'keys' cannot generate access tokens (has secret type service_account_key)",
      ],
    });
    expect((await call('gcp/roleset/app/key', {})).json).toEqual({
      errors: [
        "role set 'app' cannot generate service account keys (has secret type access_token)",
      ],
    });
    expect((await call('gcp/roleset/none/token')).status).toBe(400);
  });

  it('issues keys under a renewable lease; Google accepts grants they sign until revoked', async () => {
    const answer = await call('gcp/roleset/keys/key', { ttl: '30m' });
    expect(answer.json).toMatchObject({ renewable: true, lease_duration: 1800 });
    const key = JSON.parse(
      Buffer.from(String(dataOf(answer)['private_key_data']), 'base64').toString(),
    ) as { private_key: string; private_key_id: string; client_email: string; type: string };
    expect(key.type).toBe('service_account');
    const iat = Math.floor(clock.now() / 1000);
    const access = await tokenGrant(grant(key, { iat, exp: iat + 3600, scope: SCOPE }));
    expect(access).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600 } });

    // Without kid, as fetchIdToken sends it: an ID token Google's published key verifies.
    const id = await tokenGrant(
      grant(key, { iat, exp: iat + 3600, target_audience: 'https://aud.example' }, false),
    );
    const [header, payload, signature] = String(id.body['id_token']).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      aud: 'https://aud.example',
      email: key.client_email,
      email_verified: true,
      iss: 'https://accounts.google.com',
    });
    const certs = (await (await fetch(`${google.url}/oauth2/v1/certs`)).json()) as Record<
      string,
      string
    >;
    const { kid } = JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as {
      kid: string;
    };
    expect(
      createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(certs[kid] ?? '', signature ?? '', 'base64url'),
    ).toBe(true);

    expect(vault.gcp.issuedSecrets()).toEqual(
      expect.arrayContaining([key.private_key, access.body['access_token'], id.body['id_token']]),
    );
    expect(vault.issuedSecrets()).toContain(dataOf(answer)['private_key_data']);

    const leaseId = String((answer.json as { lease_id: string }).lease_id);
    await call('sys/leases/revoke', { lease_id: leaseId }, 'PUT');
    const refused = await tokenGrant(grant(key, { iat, exp: iat + 3600, scope: SCOPE }));
    expect(refused).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
  });

  it('refuses grants with a wrong audience or a long lifetime', async () => {
    const answer = await call('gcp/roleset/keys/key', {});
    const key = JSON.parse(
      Buffer.from(String(dataOf(answer)['private_key_data']), 'base64').toString(),
    ) as { private_key: string; private_key_id: string; client_email: string };
    const iat = Math.floor(clock.now() / 1000);
    expect(
      (await tokenGrant(grant(key, { iat, exp: iat + 3600, scope: SCOPE, aud: 'x' }))).body,
    ).toMatchObject({ error: 'invalid_grant', error_description: 'Invalid JWT audience.' });
    expect(
      (await tokenGrant(grant(key, { iat, exp: iat + 7200, scope: SCOPE }))).body,
    ).toMatchObject({ error: 'invalid_grant' });
  });
});
