import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromProcess } from '@aws-sdk/credential-providers';
import { silentLogger } from '@guise/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevEnvironment, RunningEmulator } from '../src/index.js';
import { startDevEnvironment, startEmulator } from '../src/index.js';
import { DEMO_ROLE } from '../src/dev/seed-vault.js';
import { VaultOperator } from '../src/dev/vault-operator.js';
import { cleanEnv, GUISE_CLI, run, runGuise } from './support/guise-process.js';

const KEYS = {
  accessKeyId: 'ASIAPROCESS00000001',
  secretAccessKey: 'process-secret',
  sessionToken: 'process-session-token',
};

describe('guise credential-process --from (a running agent)', () => {
  let imds: RunningEmulator;
  beforeAll(async () => {
    imds = await startEmulator({ aws: { role: 'app', tokens: 'required', credentials: KEYS } });
  });
  afterAll(() => imds.stop());

  it('prints Version 1 JSON with the role credentials, fetched with IMDSv2', async () => {
    const { code, stdout, stderr } = await runGuise([
      'credential-process',
      '--role',
      'app',
      '--from',
      imds.url,
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual([
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    ]);
    expect(printed).toMatchObject({
      Version: 1,
      AccessKeyId: KEYS.accessKeyId,
      SecretAccessKey: KEYS.secretAccessKey,
      SessionToken: KEYS.sessionToken,
    });
    const remaining = Date.parse(String(printed.Expiration)) - Date.now();
    expect(remaining).toBeGreaterThan(50 * 60_000);
    expect(remaining).toBeLessThanOrEqual(3600_000);
  });

  it('fails with status 1 and nothing on stdout for a role the agent does not serve', async () => {
    const { code, stdout, stderr } = await runGuise([
      'credential-process',
      '--role',
      'other',
      '--from',
      imds.url,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('answered 404');
  });

  it('refuses --from together with --config (status 2)', async () => {
    const result = await runGuise([
      'credential-process',
      '--role',
      'app',
      '--from',
      imds.url,
      '--config',
      '/nonexistent.yaml',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--from and --config exclude each other');
  });
});

describe('credential_process in an AWS profile, against guise dev on loopback', () => {
  let dev: DevEnvironment;
  let workDir: string;
  let awsConfigFile: string;

  beforeAll(async () => {
    dev = await startDevEnvironment({ logger: silentLogger });
    workDir = await mkdtemp(path.join(tmpdir(), 'guise-process-'));
    awsConfigFile = path.join(workDir, 'aws-config');
    const command = `${process.execPath} ${GUISE_CLI} credential-process --role ${DEMO_ROLE} --from ${dev.metadataUrl}`;
    await writeFile(
      awsConfigFile,
      `[profile guise]\ncredential_process = ${command}\nregion = ${dev.region}\n`,
    );
  });
  afterAll(async () => {
    await dev?.stop();
    await rm(workDir, { recursive: true, force: true });
  });
  afterEach(() => vi.unstubAllEnvs());

  const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  it.skipIf(awsCli.status !== 0)(
    'the AWS CLI signs STS calls with what the process prints (skipped without `aws`)',
    async () => {
      const { code, stdout, stderr } = await run(
        'aws',
        ['sts', 'get-caller-identity', '--endpoint-url', dev.stsEndpoint, '--output', 'json'],
        {
          env: cleanEnv({ AWS_CONFIG_FILE: awsConfigFile, AWS_PROFILE: 'guise' }),
          timeoutMs: 60_000,
        },
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { Arn: string }).Arn).toMatch(
        new RegExp(`^arn:aws:sts::${dev.accountId}:assumed-role/${DEMO_ROLE}/`),
      );
    },
  );

  it('the JS SDK fromProcess provider reads the same profile', async () => {
    vi.stubEnv('AWS_CONFIG_FILE', awsConfigFile);
    const credentials = await fromProcess({ profile: 'guise' })();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBeTruthy();
    expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it('--config issues straight from Vault with the agent configuration', async () => {
    const operator = new VaultOperator(dev.vaultAddr, dev.vaultToken);
    const roleId = (
      await operator.read<{ role_id: string }>(`auth/approle/role/${DEMO_ROLE}/role-id`)
    )?.data?.role_id;
    const secretId = (
      await operator.write<{ secret_id: string }>(`auth/approle/role/${DEMO_ROLE}/secret-id`)
    )?.data?.secret_id;
    const configFile = path.join(workDir, 'config.yaml');
    await writeFile(
      configFile,
      [
        `vault:`,
        `  address: ${dev.vaultAddr}`,
        `  auth: { approle: { roleId: { value: ${roleId} }, secretId: { env: TEST_SECRET_ID } } }`,
        `aws: { role: { name: ${DEMO_ROLE} } }`,
        '',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runGuise(
      ['credential-process', '--role', DEMO_ROLE, '--config', configFile],
      { env: cleanEnv({ TEST_SECRET_ID: secretId ?? '' }) },
    );
    expect(stderr).not.toContain(secretId);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { Version: number; AccessKeyId: string };
    expect(printed.Version).toBe(1);
    expect(printed.AccessKeyId).toMatch(/^ASIA/);

    const wrongRole = await runGuise(['credential-process', '--role', 'x', '--config', configFile]);
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stderr).toContain(`aws.role.name is "${DEMO_ROLE}", not "x"`);
  });
});
