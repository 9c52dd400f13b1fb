import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { fromStatic, ManualClock } from '@guise/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { startEmulator } from '../src/index.js';

const KEYS = { accessKeyId: 'AKIAEMULATOR0000001', secretAccessKey: 'emulated-secret' };

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

async function emulator(options: Parameters<typeof startEmulator>[0]) {
  const started = await startEmulator(options);
  running.push(started);
  return started;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The SDK reads its endpoint from the environment only: exactly what `imds.env()` is for. */
function sdkCredentials(imds: RunningEmulator) {
  for (const [name, value] of Object.entries(imds.env())) vi.stubEnv(name, value);
  return fromInstanceMetadata({ maxRetries: 0 })();
}

describe('startEmulator', () => {
  it('serves static credentials to the AWS SDK, with the region configured', async () => {
    const imds = await emulator({
      aws: { role: 'app', credentials: KEYS, instance: { region: 'eu-west-1' } },
    });
    expect(imds.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const credentials = await sdkCredentials(imds);
    expect(credentials.accessKeyId).toBe(KEYS.accessKeyId);
    expect(credentials.secretAccessKey).toBe(KEYS.secretAccessKey);
    expect(imds.env()).toEqual({
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `${imds.url}/`,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    const region = await fetch(`${imds.url}/latest/meta-data/placement/region`);
    expect(await region.text()).toBe('eu-west-1');
  });

  it('calls a callback for each new credential, and again once the last one ages out', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let calls = 0;
    const imds = await emulator({
      clock,
      aws: {
        role: 'app',
        ttlSeconds: 3600,
        credentials: () => ({ ...KEYS, sessionToken: `token-${++calls}` }),
      },
    });
    const read = async () => {
      const response = await fetch(`${imds.url}/latest/meta-data/iam/security-credentials/app`);
      return (await response.json()) as { Token: string; Expiration: string };
    };
    expect((await read()).Token).toBe('token-1');
    expect((await read()).Token).toBe('token-1');
    await clock.advance(45 * 60_000); // past the refresh point (20 min floor, jittered lead)
    const later = await read();
    expect(later.Token).toBe('token-2');
    // Replaced at a jittered point before the 20-minute floor: 60 - 20 - 6 × (1..2) = 28..34 min
    // after the first issue, so the new one expires 1 h after that.
    const expiration = Date.parse(later.Expiration);
    expect(expiration).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1, 1, 28));
    expect(expiration).toBeLessThanOrEqual(Date.UTC(2026, 0, 1, 1, 34));
  });

  it('takes any CredentialSource and answers IMDSv2-only when told', async () => {
    const imds = await emulator({
      aws: { role: 'ci', tokens: 'required', credentials: fromStatic('mine', KEYS) },
    });
    const unauthenticated = await fetch(`${imds.url}/latest/meta-data/iam/security-credentials/`);
    expect(unauthenticated.status).toBe(401);
    const credentials = await sdkCredentials(imds);
    expect(credentials.accessKeyId).toBe(KEYS.accessKeyId);
  });

  it('refuses to start without a dialect or on a routable address', async () => {
    await expect(startEmulator({})).rejects.toThrow(/at least one dialect/);
    await expect(
      startEmulator({ listen: '10.1.2.3:0', aws: { role: 'app', credentials: KEYS } }),
    ).rejects.toThrow(/neither loopback nor link-local/);
  });
});

describe('startEmulator refuses what plain JavaScript can get wrong', () => {
  type Options = Parameters<typeof startEmulator>[0];

  it('names every mistake at once, before listening', async () => {
    const options = {
      aws: {
        credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' },
        tokens: 'requried',
        ttlSeconds: -5,
      },
      gpc: {},
    } as unknown as Options;
    await expect(startEmulator(options)).rejects.toThrow(
      new TypeError(
        'startEmulator: unknown option "gpc" (expected aws, gcp, azure, listen, facts, clock, logger, freshness, startTimeoutMs); aws.role must be a role name; aws.tokens must be one of optional, required, disabled; aws.ttlSeconds must be a positive number of seconds',
      ),
    );
    await expect(startEmulator(undefined as unknown as Options)).rejects.toThrow(
      'startEmulator: options must be an object, e.g. { aws: { role, credentials } }',
    );
  });

  it('gives up on first credentials that never come, and closes its listener', async () => {
    const probe = await startEmulator({
      aws: { role: 'app', credentials: { accessKeyId: 'A', secretAccessKey: 'S' } },
    });
    const { port } = new URL(probe.url);
    await probe.stop();
    const hung = startEmulator({
      listen: `127.0.0.1:${port}`,
      startTimeoutMs: 200,
      aws: { role: 'app', credentials: () => new Promise(() => undefined) },
    });
    await expect(hung).rejects.toThrow(
      'startEmulator: the first credentials were not ready within 200 ms (a credentials callback that never settles?); the emulator is stopped',
    );
    await expect(fetch(`http://127.0.0.1:${port}/latest/meta-data/`)).rejects.toThrow();
  });
});
