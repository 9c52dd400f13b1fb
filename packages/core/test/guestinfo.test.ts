import type { FakeGuestInfo } from '@guise/testkit';
import { createFakeGuestInfo } from '@guise/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  GuestInfoError,
  GuestInfoFactSource,
  GuestInfoReader,
  GuestInfoSecretInput,
  VaultLoginError,
} from '../src/index.js';
import { VaultWorld } from './vault-fixtures.js';

const fakes: FakeGuestInfo[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(fakes.splice(0).map((fake) => fake.remove()));
});

/** A stand-in VMware Tools command, alone on PATH. */
async function guestinfo(options: Parameters<typeof createFakeGuestInfo>[0] = {}) {
  const fake = await createFakeGuestInfo(options);
  fakes.push(fake);
  vi.stubEnv('PATH', fake.binDir);
  return fake;
}

describe('GuestInfoReader', () => {
  it('reads a key with vmware-rpctool "info-get KEY" and says undefined for an unset key', async () => {
    const fake = await guestinfo({ values: { 'guestinfo.vault.roleid': 'role-1' } });
    const reader = new GuestInfoReader();
    expect(await reader.get('guestinfo.vault.roleid')).toBe('role-1');
    expect(await reader.get('guestinfo.vault.secretid')).toBeUndefined();
    expect(await fake.calls()).toEqual([
      'info-get guestinfo.vault.roleid',
      'info-get guestinfo.vault.secretid',
    ]);
  });

  it('falls back to vmtoolsd --cmd when vmware-rpctool is absent', async () => {
    const fake = await guestinfo({ tool: 'vmtoolsd', values: { 'guestinfo.guise.region': 'x' } });
    expect(await new GuestInfoReader().get('guestinfo.guise.region')).toBe('x');
    expect(await fake.calls()).toEqual(['info-get guestinfo.guise.region']);
  });

  it('refuses keys outside guestinfo syntax without running anything', async () => {
    const fake = await guestinfo();
    const reader = new GuestInfoReader();
    await expect(reader.get('guestinfo.a b')).rejects.toThrow(GuestInfoError);
    await expect(reader.get('machine.id')).rejects.toThrow(/not a guestinfo key/);
    expect(await fake.calls()).toEqual([]);
  });

  it('names the package to install when neither tool exists', async () => {
    vi.stubEnv('PATH', '/nonexistent');
    await expect(new GuestInfoReader().get('guestinfo.vault.roleid')).rejects.toThrow(
      /neither vmware-rpctool nor vmtoolsd.*open-vm-tools/,
    );
  });
});

describe('GuestInfoFactSource', () => {
  it('reads guestinfo.guise.* facts, tags and named attributes; unset keys add nothing', async () => {
    await guestinfo({
      values: {
        'guestinfo.guise.hostname': 'web-01',
        'guestinfo.guise.machineid': '0123456789abcdef0123456789abcdef',
        'guestinfo.guise.tags': 'env=prod, team=data',
        'guestinfo.guise.region': 'eu-central-1',
      },
    });
    const facts = await new GuestInfoFactSource(new GuestInfoReader(), {
      attributes: ['region', 'rack'],
    }).read();
    expect(facts).toEqual({
      hostname: 'web-01',
      machineId: '0123456789abcdef0123456789abcdef',
      tags: { env: 'prod', team: 'data' },
      attributes: { region: 'eu-central-1' },
    });
  });
});

describe('AppRole login with the secret_id in guestinfo', () => {
  it('unwraps a wrapped secret_id from guestinfo and logs in', async () => {
    const world = await VaultWorld.create();
    try {
      const fake = await guestinfo({
        values: { 'guestinfo.vault.secretid': await world.wrappedSecretId() },
      });
      const session = world.session(world.appRoleConfig({ guestinfo: 'guestinfo.vault.secretid' }));
      await session.start();
      expect(session.status().state).toBe('ready');
      expect(world.count('POST', 'sys/wrapping/unwrap')).toBe(1);
      expect(await fake.calls()).toContain('info-get guestinfo.vault.secretid');
    } finally {
      await world.stop();
    }
  });

  it('refuses a wrapping token minted for another role without unwrapping it', async () => {
    const world = await VaultWorld.create();
    try {
      await guestinfo({
        values: { 'guestinfo.vault.secretid': await world.wrappedSecretId('other') },
      });
      const session = world.session(world.appRoleConfig({ guestinfo: 'guestinfo.vault.secretid' }));
      await expect(world.drive(session.start())).rejects.toThrow(VaultLoginError);
      expect(world.count('POST', 'sys/wrapping/unwrap')).toBe(0);
    } finally {
      await world.stop();
    }
  });

  it('picks up the new secret_id the tooling writes after the old one is used up', async () => {
    const world = await VaultWorld.create();
    try {
      // A single-use secret_id: spent by the first login, so any re-login needs a new one.
      const wrapped = async () => {
        const answer = (await world.admin.write(
          'auth/approle/role/app/secret-id',
          { num_uses: 1 },
          { headers: { 'X-Vault-Wrap-TTL': '5m' } },
        )) as { wrap_info: { token: string } };
        return answer.wrap_info.token;
      };
      const fake = await guestinfo({ values: { 'guestinfo.vault.secretid': await wrapped() } });
      const session = world.session(world.appRoleConfig({ guestinfo: 'guestinfo.vault.secretid' }));
      await session.start();
      const first = session.status().accessor;

      // The token is revoked (e.g. by an operator): the next read needs a new login, and the
      // remembered secret_id is used up.
      await world.admin.write('auth/token/revoke-accessor', { accessor: first });
      await expect(session.read('secret/data/app')).rejects.toThrow();

      // The vSphere tooling delivers a fresh wrapped secret_id; the next login picks it up.
      await fake.set('guestinfo.vault.secretid', await wrapped());
      const secret = await world.drive(
        session.read<{ data: { greeting: string } }>('secret/data/app'),
      );
      expect(secret.data?.data.greeting).toBe('hello');
      expect(session.status().accessor).not.toBe(first);
      expect(world.count('POST', 'sys/wrapping/unwrap')).toBe(2);
    } finally {
      await world.stop();
    }
  });
});

it('GuestInfoSecretInput describes itself without the value', () => {
  expect(
    new GuestInfoSecretInput('guestinfo.vault.secretid', new GuestInfoReader()).description,
  ).toBe('guestinfo guestinfo.vault.secretid');
});
