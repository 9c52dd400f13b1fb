import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gcpMetadata from 'gcp-metadata';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GceStack } from './support.js';
import { INSTANCE_ID, PROJECT, SCOPES, STORAGE_SCOPES, startGceStack } from './support.js';

// Unmodified Node clients (google-auth-library 10.x, gcp-metadata 8.x, the lines for Node 20)
// against the GCE dialect on loopback, through their endpoint variables (§2.1, §2.5). Every
// token they get is then checked where a Google API would check it: the fake Google's tokeninfo
// and certs, which know only what the fake Vault's GCP engine issued.
let stack: GceStack;
let home: string;

beforeAll(async () => {
  stack = await startGceStack();
  home = mkdtempSync(join(tmpdir(), 'guise-gcp-home-'));
  const host = `127.0.0.1:${stack.port}`;
  // The emulator recipe of §2.5; no key file and no gcloud config may be found instead.
  vi.stubEnv('GCE_METADATA_HOST', host);
  vi.stubEnv('GCE_METADATA_IP', host);
  vi.stubEnv('GCE_METADATA_ROOT', host);
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '');
  vi.stubEnv('CLOUDSDK_CONFIG', home);
  vi.stubEnv('HOME', home);
  vi.stubEnv('NO_PROXY', '127.0.0.1');
  vi.stubEnv('METADATA_SERVER_DETECTION', '');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.close();
  rmSync(home, { recursive: true, force: true });
});

/** What Google's tokeninfo says about a bearer token (the fake knows only Vault's tokens). */
async function tokenInfo(token: string): Promise<{ email: string; scope: string }> {
  const res = await fetch(
    `${stack.google.url}/oauth2/v3/tokeninfo?access_token=${encodeURIComponent(token)}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { email: string; scope: string };
}

describe('gcp-metadata 8.x', () => {
  it('detects the metadata server and reads instance and project values', async () => {
    gcpMetadata.resetIsAvailableCache();
    expect(await gcpMetadata.isAvailable()).toBe(true);
    // json-bigint parses the 20-digit id exactly (a BigNumber), as on GCE.
    expect(String(await gcpMetadata.instance('id'))).toBe(INSTANCE_ID);
    expect(await gcpMetadata.project('project-id')).toBe(PROJECT.projectId);
    expect(await gcpMetadata.instance('service-accounts/default/email')).toBe(stack.email);
  });
});

describe('google-auth-library 10.x', () => {
  it('GoogleAuth().getAccessToken() returns a Vault-issued token of the account', async () => {
    const token = await new GoogleAuth().getAccessToken();
    expect(token).toMatch(/^ya29\./);
    expect(await tokenInfo(token ?? '')).toMatchObject({
      email: stack.email,
      scope: SCOPES.join(' '),
    });
  });

  it('asks for scopes and gets the token of the Vault account configured for them', async () => {
    const token = await new GoogleAuth({ scopes: STORAGE_SCOPES }).getAccessToken();
    expect((await tokenInfo(token ?? '')).scope).toBe(STORAGE_SCOPES.join(' '));
  });

  it('mints tokens from a Vault-issued key for a scope set configured that way', async () => {
    const scopes = ['https://www.googleapis.com/auth/userinfo.email'];
    const token = await new GoogleAuth({ scopes }).getAccessToken();
    expect(await tokenInfo(token ?? '')).toMatchObject({ email: stack.email, scope: scopes[0] });
  });

  it('getIdTokenClient(aud) gets an ID token Google’s certs verify, with the reference’s claims', async () => {
    const audience = 'https://service.example.com';
    const client = await new GoogleAuth().getIdTokenClient(audience);
    const idToken = await client.idTokenProvider.fetchIdToken(audience);
    const certs = (await (await fetch(`${stack.google.url}/oauth2/v1/certs`)).json()) as Record<
      string,
      string
    >;
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(
      idToken,
      certs,
      audience,
      ['https://accounts.google.com'],
    );
    const claims = ticket.getPayload();
    expect(claims).toMatchObject({
      aud: audience,
      email: stack.email,
      email_verified: true,
      iss: 'https://accounts.google.com',
    });
    expect(Object.keys(claims ?? {}).sort()).toEqual(
      ['aud', 'azp', 'email', 'email_verified', 'exp', 'iat', 'iss', 'sub'].sort(),
    );
    // The request went through the metadata server: the ID token carries an authorization header.
    const headers = await client.getRequestHeaders();
    expect(headers.get('authorization')).toBe(`Bearer ${idToken}`);
  });
});
