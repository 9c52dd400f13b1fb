import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@guise/agent';
import { startEmulator } from '@guise/agent';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { callGoogleApi } from '../src/call-google-api.js';

// A stand-in Google API on loopback that answers with the bearer token it was sent.
const api = http.createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ authorization: request.headers.authorization }));
});
let apiUrl: string;
let imds: RunningEmulator;
let home: string;
let issued = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v1/things`;
  // The emulator serves the tokens this callback makes, as GCE's metadata server would.
  imds = await startEmulator({
    gcp: {
      project: { id: 'example-project', number: '210987654321' },
      serviceAccount: {
        email: 'app@example-project.iam.gserviceaccount.com',
        accessToken: () => ({ token: `ya29.example-${++issued}` }),
      },
    },
  });
  // Nothing of the developer's (a key file, gcloud's login) may come before the metadata server.
  home = mkdtempSync(join(tmpdir(), 'example-gcp-home-'));
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '');
  vi.stubEnv('CLOUDSDK_CONFIG', home);
  vi.stubEnv('HOME', home);
  for (const [name, value] of Object.entries(imds.env())) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await imds.stop();
  await new Promise<void>((resolve) => api.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

it('calls the API with the service account token the emulator served', async () => {
  expect(await callGoogleApi(apiUrl)).toEqual({ authorization: 'Bearer ya29.example-1' });
  expect(issued).toBe(1);
});
