import { execFile, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { ManualClock, NodeVaultSession, appRoleSessionConfig, silentLogger } from '@guise/core';
import type { FakeSts, FakeVault } from '@guise/testkit';
import { startFakeSts, startFakeVault } from '@guise/testkit';
import type { ImdsTokenMode, VaultAwsSourceOptions } from '../src/index.js';
import { VaultAwsSource } from '../src/index.js';
import type { Harness } from './support.js';
import { startImds } from './support.js';

/**
 * The whole chain on loopback: testkit's fake Vault (AWS engine, AppRole) → core's
 * NodeVaultSession (AppRole login) → VaultAwsSource → broker → AwsImdsProvider → an unmodified
 * AWS client, whose credentials then sign an STS GetCallerIdentity that testkit's fake STS
 * verifies (SigV4, key known to the fake account). Vault is configured over its HTTP API with the
 * root token, as an operator would.
 */
const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/AppRole`;

let vault: FakeVault;
let sts: FakeSts;
let roleId: string;
let secretId: string;

async function vaultApi(
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${vault.url}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': vault.rootToken, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 400)
    throw new Error(`vault ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
}

beforeAll(async () => {
  vault = await startFakeVault();
  sts = await startFakeSts({ account: vault.aws });
  await vaultApi('POST', 'sys/mounts/aws', { type: 'aws' });
  await vaultApi('POST', 'aws/config/root', {
    access_key: 'AKIAVAULTROOT',
    secret_key: 'root-secret',
    region: 'us-east-1',
  });
  await vaultApi('POST', 'aws/roles/app', {
    credential_type: 'assumed_role',
    role_arns: [ROLE_ARN],
  });
  await vaultApi('POST', 'aws/roles/ci', {
    credential_type: 'iam_user',
    policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  });
  await vaultApi('PUT', 'sys/policies/acl/guise-agent', {
    policy:
      'path "aws/sts/app" { capabilities = ["update"] }\npath "aws/creds/ci" { capabilities = ["read"] }',
  });
  await vaultApi('POST', 'sys/auth/approle', { type: 'approle' });
  await vaultApi('POST', 'auth/approle/role/agent', {
    token_policies: ['guise-agent'],
    token_ttl: '1h',
  });
  roleId = ((await vaultApi('GET', 'auth/approle/role/agent/role-id')).data as { role_id: string })
    .role_id;
  secretId = (
    (await vaultApi('POST', 'auth/approle/role/agent/secret-id')).data as { secret_id: string }
  ).secret_id;
});

afterAll(async () => {
  await sts?.stop();
  await vault?.stop();
});

let imds: Harness | undefined;
let session: NodeVaultSession | undefined;
afterEach(async () => {
  await imds?.close();
  await session?.close();
  imds = undefined;
  session = undefined;
  vi.unstubAllEnvs();
});

/** An agent-shaped IMDS whose role credential comes from Vault through an AppRole session. */
async function agentServing(tokens: ImdsTokenMode, source: Omit<VaultAwsSourceOptions, 'mount'>) {
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  session = new NodeVaultSession(
    appRoleSessionConfig(vault.url, { roleId, secretId }),
    clock,
    silentLogger,
  );
  await session.start();
  imds = await startImds({ tokens, clock, source: new VaultAwsSource(session, source, clock) });
  const started = imds.provider.start?.();
  // A new IAM user key is held back 10 s while IAM propagates it: let that time pass.
  await clock.advance(10_000);
  await started;
  return imds;
}

function pointSdkAt(harness: Harness, v1Disabled: boolean): void {
  vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', `${harness.url}/`);
  vi.stubEnv('AWS_EC2_METADATA_V1_DISABLED', String(v1Disabled));
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/guise-test/config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/guise-test/credentials');
}

/** What the SDK's IMDS provider resolves to. */
type SdkCredentials = Awaited<ReturnType<ReturnType<typeof fromInstanceMetadata>>>;

async function callerArn(credentials: SdkCredentials): Promise<string | undefined> {
  const client = new STSClient({
    region: 'us-east-1',
    endpoint: sts.url,
    credentials,
    maxAttempts: 1,
  });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

describe('Vault → IMDS → AWS SDK → STS', () => {
  it('assumed_role over IMDSv2 (required): the SDK gets what Vault issued, and STS accepts it', async () => {
    const harness = await agentServing('required', { role: 'app', endpoint: 'sts' });
    pointSdkAt(harness, true);
    const credentials = await fromInstanceMetadata()();

    const issued = vault.aws
      .credentials()
      .find((key) => key.accessKeyId === credentials.accessKeyId);
    expect(issued).toBeDefined();
    expect(credentials.secretAccessKey).toBe(issued?.secretAccessKey);
    expect(credentials.sessionToken).toBe(issued?.sessionToken);
    // Never later than the real expiry; whole seconds, so at most a second or two earlier.
    const realExpiry = issued?.expiresAtMs ?? 0;
    expect(credentials.expiration?.getTime()).toBeLessThanOrEqual(realExpiry);
    expect(credentials.expiration?.getTime()).toBeGreaterThan(realExpiry - 3000);

    const arn = await callerArn(credentials);
    expect(arn).toBe(issued?.arn);
    expect(arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/`));
    // One Vault call for warm-up; the client's request was a cache hit.
    expect(vault.requests.filter((r) => r.path === '/v1/aws/sts/app')).toHaveLength(1);
  });

  it('iam_user over IMDSv1: long-term keys with an empty Token sign STS calls', async () => {
    const harness = await agentServing('disabled', { role: 'ci', endpoint: 'creds' });
    pointSdkAt(harness, false);
    const credentials = await fromInstanceMetadata()();
    expect(credentials.accessKeyId).toMatch(/^AKIA/);
    expect(credentials.sessionToken).toBe('');
    expect(await callerArn(credentials)).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:user/`));
  });

  const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasAwsCli)(
    'the AWS CLI finds the credentials by itself and calls STS with them',
    async () => {
      const harness = await agentServing('optional', { role: 'app', endpoint: 'sts' });
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: '/nonexistent/guise-test',
        AWS_CONFIG_FILE: '/nonexistent/guise-test/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/guise-test/credentials',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `${harness.url}/`,
      };
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          'aws',
          [
            'sts',
            'get-caller-identity',
            '--endpoint-url',
            sts.url,
            '--region',
            'us-east-1',
            '--output',
            'json',
          ],
          { env, timeout: 60_000 },
          (error, out, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out),
        );
      });
      const identity = JSON.parse(stdout) as { Account: string; Arn: string };
      expect(identity.Account).toBe(ACCOUNT);
      expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/`));
      expect(harness.seen.some((r) => r.method === 'PUT' && r.path === '/latest/api/token')).toBe(
        true,
      );
    },
  );
});
