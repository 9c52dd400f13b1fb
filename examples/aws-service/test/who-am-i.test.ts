import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import type { RunningEmulator } from '@guise/agent';
import { startEmulator } from '@guise/agent';
import type { FakeSts } from '@guise/testkit';
import { FakeAwsAccount, startFakeSts } from '@guise/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { whoAmI } from '../src/who-am-i.js';

// A stand-in for AWS: an account whose keys a fake STS verifies (SigV4) on loopback.
const account = new FakeAwsAccount();
let sts: FakeSts;
let imds: RunningEmulator;

beforeAll(async () => {
  sts = await startFakeSts({ account });
  const role = account.assumeRole(`arn:aws:iam::${account.accountId}:role/app`, 'test', 3600);
  // The emulator hands the role's keys out exactly as EC2's instance metadata service would.
  imds = await startEmulator({
    aws: {
      role: 'app',
      credentials: {
        accessKeyId: role.accessKeyId,
        secretAccessKey: role.secretAccessKey,
        sessionToken: role.sessionToken,
      },
      instance: { region: 'eu-central-1' },
    },
  });
});

afterAll(async () => {
  await imds.stop();
  await sts.stop();
});

beforeEach(() => {
  // Nothing of the developer's may come before IMDS in the SDK's default chain.
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
  ])
    vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(imds.env())) vi.stubEnv(name, value);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('whoAmI, with credentials from guise', () => {
  it('finds the role through the default credential chain', async () => {
    const identity = await whoAmI({ endpoint: sts.url });
    expect(identity).toEqual({
      account: account.accountId,
      arn: `arn:aws:sts::${account.accountId}:assumed-role/app/test`,
    });
  });

  it('works with the instance-metadata provider named explicitly', async () => {
    const identity = await whoAmI({
      endpoint: sts.url,
      region: 'eu-central-1',
      credentials: fromInstanceMetadata({ maxRetries: 0 }),
    });
    expect(identity.arn).toContain(':assumed-role/app/');
  });
});
