import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '@guise/core';
import { IamIdTokenSource, VaultGcpTokenSource } from '../src/index.js';
import type { GceStack } from './support.js';
import { request, startGceStack } from './support.js';

// The Vault GCP engine sources through the broker and the token endpoint, on a clock the test
// moves: what clients get, how long it lives, and when Vault is asked again (vault-api.md §4).
let stack: GceStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const TOKEN = '/computeMetadata/v1/instance/service-accounts/default/token';

async function token(port: number, query = '') {
  const res = await request(port, `${TOKEN}${query}`);
  expect(res.headers['content-type']).toBe('application/json');
  // The ETag is that of the body as sent, however the answer was cached (§1.2).
  expect(res.headers['etag']).toBe(createHash('md5').update(res.text).digest('hex').slice(-16));
  return JSON.parse(res.text) as { access_token: string; expires_in: number; token_type: string };
}

const tokenCalls = (s: GceStack, path: string) =>
  s.vault.requests.filter((r) => r.path === `/v1/${path}`).length;

describe('VaultGcpTokenSource behind the token endpoint', () => {
  it('serves the roleset token with its remaining lifetime and caches it', async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
    stack = await startGceStack({ clock });
    const first = await token(stack.port);
    expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(first.access_token).toMatch(/^ya29\./);
    await clock.advance(30 * 60_000);
    const later = await token(stack.port);
    expect(later).toEqual({ ...first, expires_in: 1800 });
    expect(tokenCalls(stack, 'gcp/roleset/app/token')).toBe(1);
  });

  it('never serves a token with 5 minutes or less left (§1.4): Vault is asked for a new one', async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
    stack = await startGceStack({ clock });
    const first = await token(stack.port);
    await clock.advance(55 * 60_000);
    const next = await token(stack.port);
    expect(next.access_token).not.toBe(first.access_token);
    expect(next.expires_in).toBeGreaterThan(300);
    expect(tokenCalls(stack, 'gcp/roleset/app/token')).toBeGreaterThanOrEqual(2);
  });

  it('while Vault fails, serves the cached token only while it has more than 5 minutes left', async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
    stack = await startGceStack({ clock });
    const first = await token(stack.port);
    stack.vault.faults.failNext(1_000, 503);
    await clock.advance(54 * 60_000 + 59_000);
    expect(await token(stack.port)).toEqual({ ...first, expires_in: 301 });
    await clock.advance(1_000);
    // google-auth-library counts a token expiring within 5 minutes as expired (`<=`).
    const res = await request(stack.port, TOKEN);
    expect([res.status, res.text]).toEqual([503, 'credentials are temporarily unavailable\n']);
  });

  it('serves 503 while Vault fails and nothing valid is cached', async () => {
    stack = await startGceStack();
    stack.vault.faults.failNext(50, 500);
    const res = await request(
      stack.port,
      `${TOKEN}?scopes=https://www.googleapis.com/auth/devstorage.read_only`,
    );
    expect(res.status).toBe(503);
    expect(res.headers['metadata-flavor']).toBe('Google');
  });
});

describe('the Vault GCP engine of the testkit (vault-api.md §4)', () => {
  it('answers token without a lease and key with a renewable one; revoking deletes the key', async () => {
    stack = await startGceStack();
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${stack?.vault.url}/v1/${path}`, {
        method,
        headers: { 'X-Vault-Token': stack?.vault.rootToken ?? '' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      };
    };
    const tokenAnswer = await api('GET', 'gcp/roleset/app/token');
    expect(tokenAnswer.body).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0 });
    expect(tokenAnswer.body['data']).toMatchObject({ token_ttl: 3600 });
    const keyAnswer = await api('POST', 'gcp/static-account/app-key/key', {});
    expect(keyAnswer.body).toMatchObject({ renewable: true, lease_duration: 3600 });
    expect(String(keyAnswer.body['lease_id'])).toMatch(/^gcp\/static-account\/app-key\/key\//);
    const data = keyAnswer.body['data'] as Record<string, string>;
    expect(data).toMatchObject({
      key_algorithm: 'KEY_ALG_RSA_2048',
      key_type: 'TYPE_GOOGLE_CREDENTIALS_FILE',
    });
    const file = JSON.parse(Buffer.from(data['private_key_data'] ?? '', 'base64').toString()) as {
      private_key_id: string;
      client_email: string;
    };
    expect(file.client_email).toBe(stack.email);
    expect(stack.vault.gcp.findKey(file.private_key_id)).toBeDefined();
    await api('PUT', 'sys/leases/revoke', { lease_id: keyAnswer.body['lease_id'] });
    expect(stack.vault.gcp.findKey(file.private_key_id)).toBeUndefined();
    expect((await api('GET', 'gcp/roleset/nope/token')).body).toEqual({
      errors: ["role set 'nope' does not exists"],
    });
    expect((await api('GET', 'gcp/static-account/app-key/token')).body).toEqual({
      errors: [
        "static account 'app-key' cannot generate access tokens (has secret type service_account_key)",
      ],
    });
  });
});

describe('IamIdTokenSource (generateIdToken with a Vault access token, §4.3)', () => {
  const request = { audience: 'https://api.example', format: 'full', licenses: false } as const;

  it('gets a Google-signed ID token for the account the token belongs to', async () => {
    stack = await startGceStack();
    const tokens = new VaultGcpTokenSource(
      stack.session,
      { kind: 'roleset', name: 'app' },
      systemClock,
    );
    const source = new IamIdTokenSource(stack.broker, tokens, stack.email, systemClock, {
      iamCredentialsUrl: stack.google.url,
    });
    const issued = await stack.broker.get(source, request);
    const claims = JSON.parse(
      Buffer.from(issued.value.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      aud: request.audience,
      email: stack.email,
      email_verified: true,
      iss: 'https://accounts.google.com',
    });
    expect(issued.expiresAt).toBe(Number(claims['exp']) * 1000);
  });

  it('fails with Google’s refusal when the token lacks the cloud-platform scope', async () => {
    stack = await startGceStack();
    const storageOnly = new VaultGcpTokenSource(
      stack.session,
      { kind: 'static-account', name: 'storage' },
      systemClock,
    );
    const source = new IamIdTokenSource(stack.broker, storageOnly, stack.email, systemClock, {
      iamCredentialsUrl: stack.google.url,
    });
    await expect(source.issue(request)).rejects.toThrow(/generateIdToken answered 403/);
  });
});
