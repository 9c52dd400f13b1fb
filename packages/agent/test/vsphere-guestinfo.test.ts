import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@guise/core';
import type { FakeGuestInfo, FakeVault } from '@guise/testkit';
import { createFakeGuestInfo, startFakeSts, startFakeVault } from '@guise/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAgent } from '../src/compose/start-agent.js';
import { resolveVaultAddresses } from '../src/compose/resolve-vault-addresses.js';
import { ConfigError } from '../src/config/config-error.js';
import { parseConfig } from '../src/config/load-config.js';
import { DEMO_ROLE, seedVault } from '../src/dev/seed-vault.js';
import { VaultOperator } from '../src/dev/vault-operator.js';
import { cleanEnv, runGuise } from './support/guise-process.js';

// A VM as vSphere tooling (vAuth and the like) provisions it: role_id and a wrapped secret_id in
// guestinfo, facts in guestinfo.guise.*; VMware Tools stood in for by a script on PATH.
describe('the agent on a vSphere VM (secret-zero from guestinfo)', () => {
  let vault: FakeVault;
  let stopSts: () => Promise<void>;
  let workDir: string;
  let guestinfo: FakeGuestInfo;

  beforeAll(async () => {
    vault = await startFakeVault();
    const sts = await startFakeSts({ account: vault.aws });
    stopSts = sts.stop;
    workDir = await mkdtemp(path.join(tmpdir(), 'guise-vsphere-'));
    const seeded = await seedVault(new VaultOperator(vault.url, vault.rootToken), {
      accountId: vault.aws.accountId,
      rootKeys: vault.aws.createUserAccessKey('vault-root'),
      stsEndpoint: sts.url,
      region: 'us-east-1',
      workDir,
    });
    guestinfo = await createFakeGuestInfo({
      values: {
        'guestinfo.vault.roleid': (await readFile(seeded.roleIdFile, 'utf8')).trim(),
        'guestinfo.vault.secretid': (await readFile(seeded.secretIdFile, 'utf8')).trim(),
        'guestinfo.guise.hostname': 'vm-web-01',
        'guestinfo.guise.machineid': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        'guestinfo.guise.tags': 'env=prod',
        'guestinfo.vault.vaultaddr': vault.url,
      },
    });
    vi.stubEnv('PATH', guestinfo.path);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([stopSts?.(), vault?.stop(), guestinfo?.remove()]);
    await rm(workDir, { recursive: true, force: true });
  });

  it('logs in with role_id and wrapped secret_id from guestinfo and serves guestinfo facts', async () => {
    const config = parseConfig({
      listen: '127.0.0.1:0',
      vault: {
        address: { guestinfo: 'guestinfo.vault.vaultaddr' },
        auth: {
          approle: {
            role: DEMO_ROLE,
            roleId: { guestinfo: 'guestinfo.vault.roleid' },
            secretId: { guestinfo: 'guestinfo.vault.secretid' },
          },
        },
      },
      facts: { guestinfo: true },
      aws: { role: { name: DEMO_ROLE }, instance: { exposeTags: true } },
    });
    const agent = await startAgent(config, { logger: silentLogger });
    try {
      await agent.ready;
      const get = async (leaf: string) => {
        const response = await fetch(`${agent.url}/latest/meta-data/${leaf}`);
        return { status: response.status, text: await response.text() };
      };
      const credentials = await get(`iam/security-credentials/${DEMO_ROLE}`);
      expect(credentials.status).toBe(200);
      expect(JSON.parse(credentials.text)).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
      expect(await get('tags/instance/env')).toEqual({ status: 200, text: 'prod' });
      // The instance id derives from the machine id vSphere gave the VM, not the host's.
      const instanceId = await get('instance-id');
      expect(instanceId.text).toMatch(/^i-[0-9a-f]{17}$/);
      expect(await guestinfo.calls()).toEqual(
        expect.arrayContaining([
          'info-get guestinfo.vault.roleid',
          'info-get guestinfo.vault.secretid',
          'info-get guestinfo.guise.machineid',
          'info-get guestinfo.vault.vaultaddr',
        ]),
      );
    } finally {
      await agent.stop();
    }
  });

  it('without VMware Tools, guise agent says what to install and exits 1', async () => {
    const file = path.join(workDir, 'no-tools.yaml');
    await writeFile(
      file,
      [
        'listen: 127.0.0.1:0',
        `vault: { address: ${vault.url}, auth: { token: { file: ${path.join(workDir, 'none')} } } }`,
        'facts: { guestinfo: true }',
        `aws: { role: { name: ${DEMO_ROLE} } }`,
        '',
      ].join('\n'),
    );
    const result = await runGuise(['agent', '--config', file], {
      env: cleanEnv({ PATH: '/nonexistent' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'neither vmware-rpctool nor vmtoolsd is on PATH: install open-vm-tools to read guestinfo\n',
    );
  });

  it('refuses a Vault address guestinfo does not hold, or one that is not a URL', async () => {
    const vaultConfig = (key: string) =>
      parseConfig({
        vault: { address: { guestinfo: key }, auth: { token: { file: '/t' } } },
        aws: { role: { name: 'app' } },
      }).vault;
    await expect(resolveVaultAddresses(vaultConfig('guestinfo.vault.unset'))).rejects.toThrow(
      'vault.address: guestinfo guestinfo.vault.unset is not set on this VM',
    );
    await guestinfo.set('guestinfo.vault.bad', 'vault.example.com:8200');
    await expect(resolveVaultAddresses(vaultConfig('guestinfo.vault.bad'))).rejects.toThrow(
      ConfigError,
    );
  });

  it('rejects a guestinfo reference that is not a guestinfo key', () => {
    expect(() =>
      parseConfig({
        vault: {
          address: 'http://127.0.0.1:8200',
          auth: { approle: { roleId: { guestinfo: 'vault.roleid' } } },
        },
        aws: { role: { name: 'app' } },
      }),
    ).toThrow(/vault\.auth\.approle\.roleId\.guestinfo: expected a guestinfo key/);
  });
});
