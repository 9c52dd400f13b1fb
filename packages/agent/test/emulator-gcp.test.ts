import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gcpMetadata from 'gcp-metadata';
import { GoogleAuth } from 'google-auth-library';
import type { IdTokenRequest } from '@guise/provider-gcp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { startEmulator } from '../src/index.js';

// The real Node clients against an emulator's GCE dialect, sent there by `imds.env()` alone.
let home: string;
let imds: RunningEmulator | undefined;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'guise-emulator-gcp-'));
  // No key file and no gcloud config may be found before the metadata server.
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '');
  vi.stubEnv('CLOUDSDK_CONFIG', home);
  vi.stubEnv('HOME', home);
  vi.stubEnv('METADATA_SERVER_DETECTION', '');
  gcpMetadata.resetIsAvailableCache();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await imds?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function emulate(options: Parameters<typeof startEmulator>[0]) {
  imds = await startEmulator(options);
  for (const [name, value] of Object.entries(imds.env())) vi.stubEnv(name, value);
  return imds;
}

const PROJECT = { id: 'emulated-project', number: '123456789012' };
const EMAIL = 'app@emulated-project.iam.gserviceaccount.com';

describe('startEmulator with gcp', () => {
  it('gives GoogleAuth the tokens the callback produced, and gcp-metadata the instance id', async () => {
    let calls = 0;
    const running = await emulate({
      gcp: {
        project: PROJECT,
        serviceAccount: {
          email: EMAIL,
          accessToken: () => ({ token: `ya29.emulated-${++calls}` }),
        },
        instance: { id: '4520031799277581759' },
      },
    });
    expect(running.env()).toEqual({
      GCE_METADATA_HOST: new URL(running.url).host,
      GCE_METADATA_IP: new URL(running.url).host,
      GCE_METADATA_ROOT: new URL(running.url).host,
      GCE_METADATA_MTLS_MODE: 'none',
    });
    expect(await new GoogleAuth().getAccessToken()).toBe('ya29.emulated-1');
    expect(await new GoogleAuth().getProjectId()).toBe(PROJECT.id);
    expect(String(await gcpMetadata.instance('id'))).toBe('4520031799277581759');
    expect(await gcpMetadata.instance('service-accounts/default/email')).toBe(EMAIL);
  });

  it('serves a fixed token, and ID tokens from a callback of the audience', async () => {
    const requests: IdTokenRequest[] = [];
    await emulate({
      gcp: {
        project: PROJECT,
        serviceAccount: {
          email: EMAIL,
          accessToken: { token: 'ya29.fixed' },
          idToken: (request) => {
            requests.push(request);
            return idToken(request.audience);
          },
        },
      },
    });
    expect(await new GoogleAuth().getAccessToken()).toBe('ya29.fixed');
    const audience = 'https://service.example.com';
    const client = await new GoogleAuth().getIdTokenClient(audience);
    const headers = await client.getRequestHeaders();
    expect(headers.get('authorization')).toBe(`Bearer ${idToken(audience)}`);
    expect(requests).toContainEqual(expect.objectContaining({ audience, format: 'full' }));
  });
});

/** A JWS-shaped ID token whose only claims are the audience and a far expiry. */
function idToken(audience: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ aud: audience, exp: 4_102_444_800 })}.c2ln`;
}
