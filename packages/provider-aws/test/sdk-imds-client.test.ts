import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { ManualClock } from '@guise/core';
import type { ImdsTokenMode } from '../src/index.js';
import type { Harness } from './support.js';
import { CREDENTIALS, countingSource, startImds } from './support.js';

/**
 * The AWS SDK for JavaScript v3 IMDS credential provider, unmodified, against the provider on
 * 127.0.0.1. The endpoint variable keeps it off 169.254.169.254; the config file variables keep it
 * off the developer's ~/.aws (it reads `ec2_metadata_v1_disabled` there when the env is unset).
 * Every variable is stubbed for the test and restored after it.
 */
let imds: Harness | undefined;

beforeEach(() => {
  for (const key of [
    'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_PROFILE',
  ]) {
    vi.stubEnv(key, undefined);
  }
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/guise-test/config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/guise-test/credentials');
});

afterEach(async () => {
  await imds?.close();
  imds = undefined;
  vi.unstubAllEnvs();
});

/** Starts the provider on a clock at real time (the SDK judges expiry by Date.now()). */
async function serve(tokens: ImdsTokenMode, v1Disabled: boolean) {
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  const source = countingSource(clock);
  imds = await startImds({ tokens, clock, source });
  vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', `${imds.url}/`);
  vi.stubEnv('AWS_EC2_METADATA_V1_DISABLED', String(v1Disabled));
  return { imds, expiration: new Date(clock.now() + 3600_000) };
}

describe('@aws-sdk/credential-providers fromInstanceMetadata', () => {
  it('IMDSv1: token endpoint disabled, the SDK falls back to plain GETs', async () => {
    const { imds, expiration } = await serve('disabled', false);
    const credentials = await fromInstanceMetadata()();
    expect(credentials).toMatchObject({
      accessKeyId: CREDENTIALS.accessKeyId,
      secretAccessKey: CREDENTIALS.secretAccessKey,
      sessionToken: CREDENTIALS.sessionToken,
      expiration,
    });
    expect(imds.seen.map((r) => [r.method, r.path, r.token])).toEqual([
      ['PUT', '/latest/api/token', false], // answered 403: "IMDSv2 unavailable"
      ['GET', '/latest/meta-data/iam/security-credentials/', false],
      ['GET', '/latest/meta-data/iam/security-credentials/app-role', false],
    ]);
  });

  it('IMDSv1 is refused by an SDK configured to forbid the fallback', async () => {
    await serve('disabled', true);
    await expect(fromInstanceMetadata()()).rejects.toThrow(/v1 fallback has been blocked/);
  });

  it.each(['optional', 'required'] as const)(
    'IMDSv2 (%s): token PUT, then both GETs with the token, v1 fallback forbidden',
    async (mode) => {
      const { imds, expiration } = await serve(mode, true);
      const credentials = await fromInstanceMetadata()();
      expect(credentials).toMatchObject({
        accessKeyId: CREDENTIALS.accessKeyId,
        secretAccessKey: CREDENTIALS.secretAccessKey,
        sessionToken: CREDENTIALS.sessionToken,
        expiration,
      });
      expect(imds.seen.map((r) => [r.method, r.path, r.token])).toEqual([
        ['PUT', '/latest/api/token', false],
        ['GET', '/latest/meta-data/iam/security-credentials/', true],
        ['GET', '/latest/meta-data/iam/security-credentials/app-role', true],
      ]);
    },
  );
});
