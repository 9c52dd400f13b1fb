import { execFile, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@guise/core';
import type { ImdsTokenMode } from '../src/index.js';
import type { Harness } from './support.js';
import { CREDENTIALS, ROLE, countingSource, startImds } from './support.js';

/**
 * botocore (what boto3 and the AWS CLI use), unmodified, finds the credentials through its default
 * chain and the region through `InstanceMetadataRegionFetcher` (`placement/availability-zone/`
 * with a trailing slash). It runs with a clean environment: the endpoint variable, no ~/.aws, no
 * proxy, so nothing it does can leave the loopback interface.
 */
const SCRIPT = `
import json, os
import botocore.session
from botocore.utils import InstanceMetadataRegionFetcher
session = botocore.session.Session()
credentials = session.get_credentials()
frozen = credentials.get_frozen_credentials()
region = InstanceMetadataRegionFetcher(config={
    'ec2_metadata_service_endpoint': os.environ['AWS_EC2_METADATA_SERVICE_ENDPOINT'],
    'ec2_metadata_v1_disabled': os.environ['AWS_EC2_METADATA_V1_DISABLED'] == 'true',
}).retrieve_region()
print(json.dumps({
    'method': credentials.method,
    'access_key': frozen.access_key,
    'secret_key': frozen.secret_key,
    'token': frozen.token,
    'expiry': credentials._expiry_time.strftime('%Y-%m-%dT%H:%M:%SZ'),
    'region': region,
}))
`;

const hasBotocore =
  spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0;
if (!hasBotocore)
  console.warn(
    'botocore-imds-client: python3 with botocore not found; skipping the botocore tests',
  );

let imds: Harness | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});

function runBotocore(endpoint: string, v1Disabled: boolean): Promise<Record<string, string>> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent/guise-test',
    AWS_CONFIG_FILE: '/nonexistent/guise-test/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/guise-test/credentials',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoint,
    AWS_EC2_METADATA_V1_DISABLED: String(v1Disabled),
  };
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', SCRIPT], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`botocore failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Record<string, string>);
    });
  });
}

describe.skipIf(!hasBotocore)('botocore', () => {
  it.each([
    ['disabled', false, false],
    ['optional', true, true],
    ['required', true, true],
  ] as Array<[ImdsTokenMode, boolean, boolean]>)(
    'tokens %s (v1 disabled: %s): credentials and region from IMDS',
    async (tokens, v1Disabled, expectToken) => {
      const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
      imds = await startImds({ tokens, clock, source: countingSource(clock) });
      const result = await runBotocore(`${imds.url}/`, v1Disabled);
      expect(result).toEqual({
        method: 'iam-role',
        access_key: CREDENTIALS.accessKeyId,
        secret_key: CREDENTIALS.secretAccessKey,
        token: CREDENTIALS.sessionToken,
        expiry: new Date(clock.now() + 3600_000).toISOString().replace('.000Z', 'Z'),
        region: 'us-east-1',
      });
      const credentialGets = imds.seen.filter((r) =>
        r.path.endsWith(`/security-credentials/${ROLE}`),
      );
      expect(credentialGets.map((r) => r.token)).toEqual([expectToken]);
      // botocore asks for the zone with a trailing slash on the leaf.
      expect(imds.seen.map((r) => r.path)).toContain(
        '/latest/meta-data/placement/availability-zone/',
      );
    },
  );
});
