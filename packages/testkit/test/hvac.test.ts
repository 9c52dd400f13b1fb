import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppRoleCredentials, type FakeVault, startFakeVault } from '../src/index.js';
import { run } from './support/run.js';
import { seedVault } from './support/seed.js';
import { vaultFetch } from './support/vault-http.js';

// Debian's python3-hvac as a real client, run by the system interpreter (not pyenv's python3).
const PYTHON = '/usr/bin/python3';
const hvacAvailable =
  spawnSync(PYTHON, ['-c', 'import hvac'], { env: { PATH: '/usr/bin:/bin' } }).status === 0;
if (!hvacAvailable) {
  console.warn(
    `hvac tests skipped: "${PYTHON} -c 'import hvac'" failed; install the Debian package python3-hvac.`,
  );
}

describe.skipIf(!hvacAvailable)('python3-hvac against the fake Vault', () => {
  let vault: FakeVault;
  let seed: AppRoleCredentials;

  beforeEach(async () => {
    vault = await startFakeVault();
    seed = await seedVault(vault);
    await vaultFetch(vault.url, 'secret/data/app/config', {
      token: vault.rootToken,
      body: { data: { db: 'postgres://app' } },
    });
  });
  afterEach(() => vault.stop());

  it('checks health, unwraps a wrapped secret_id, logs in, renews, reads AWS creds (creds and sts) and KV v2', async () => {
    const wrapped = await vaultFetch(vault.url, 'auth/approle/role/app/secret-id', {
      token: vault.rootToken,
      body: {},
      headers: { 'X-Vault-Wrap-TTL': '5m' },
    });
    const wrappingToken = String(
      (wrapped.json as { wrap_info: { token: string } }).wrap_info.token,
    );

    const script = fileURLToPath(new URL('./support/hvac_client.py', import.meta.url));
    const result = await run(PYTHON, [script], {
      PATH: '/usr/bin:/bin',
      VAULT_ADDR: vault.url,
      ROLE_ID: seed.roleId,
      WRAPPING_TOKEN: wrappingToken,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Record<string, unknown>;

    expect(report['health']).toEqual({ status: 200, body: '' });
    expect(report['unwrapped_keys']).toEqual([
      'secret_id',
      'secret_id_accessor',
      'secret_id_num_uses',
      'secret_id_ttl',
    ]);
    // hvac parses `errors` only when Content-Type is exactly application/json.
    expect(report['second_unwrap']).toEqual({
      type: 'InvalidRequest',
      errors: ['wrapping token is not valid or does not exist'],
    });
    expect(report['login']).toMatchObject({
      policies: ['app', 'default'],
      lease_duration: 1200,
      renewable: true,
      metadata: { role_name: 'app' },
    });
    expect(report['client_uses_login_token']).toBe(true);
    expect(report['renew_self']).toEqual({ lease_duration: 1800, warnings: null });
    expect(report['aws_creds']).toMatchObject({
      lease_duration: 900,
      renewable: false,
      keys: ['access_key', 'arn', 'secret_key', 'security_token', 'session_token'],
    });
    const stsAnswer = report['aws_sts'] as {
      lease_duration: number;
      lease_id: string;
      arn: string;
    };
    expect(stsAnswer.lease_duration).toBe(3600);
    expect(stsAnswer.lease_id).toMatch(/^aws\/sts\/deploy\//);
    expect(
      vault.aws.findAccessKey((report['aws_creds'] as { access_key: string }).access_key)?.arn,
    ).toMatch(/^arn:aws:sts::123456789012:assumed-role\/Deploy\//);
    expect(report['kv']).toMatchObject({
      data: { db: 'postgres://app' },
      metadata: { version: 1, destroyed: false },
    });
    expect(report['forbidden']).toEqual(['permission denied']);

    expect(vault.requests.filter((request) => request.path === '/v1/sys/health')).toEqual([
      { method: 'HEAD', path: '/v1/sys/health', status: 200 },
    ]);
  });
});
