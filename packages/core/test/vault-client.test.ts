import { startFakeVault } from '@guise/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultRequestError, VaultUnreachableError } from '../src/index.js';
import type { NodeVaultSession, VaultSessionConfig } from '../src/index.js';
import {
  closedPortUrl,
  recordingProxy,
  resettingServer,
  testCertificates,
  VaultWorld,
} from './vault-fixtures.js';

describe('Vault client behaviour', () => {
  let world: VaultWorld;

  beforeEach(async () => {
    world = await VaultWorld.create();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await world.stop();
  });

  async function config(overrides: Partial<VaultSessionConfig> = {}): Promise<VaultSessionConfig> {
    return world.appRoleConfig({ value: await world.secretId() }, overrides);
  }

  async function started(overrides: Partial<VaultSessionConfig> = {}): Promise<NodeVaultSession> {
    const session = world.session(await config(overrides));
    await session.start();
    return session;
  }

  function withEnv(values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  }

  describe('retries', () => {
    it('retries 503 sealed until Vault is unsealed', async () => {
      const session = await started();
      world.vault.faults.sealed = true;

      const reading = session.read<{ data: { greeting: string } }>('secret/data/app');
      await vi.waitFor(() => expect(world.vault.requests.some((r) => r.status === 503)).toBe(true));
      world.vault.faults.sealed = false;
      const secret = await world.drive(reading);

      expect(secret.data?.data.greeting).toBe('hello');
      expect(world.count('GET', 'secret/data/app')).toBe(2);
    });

    it('retries 500 and 429 answers, then succeeds', async () => {
      const session = await started();
      world.vault.faults.failNext(1, 500, 'internal error');

      await world.drive(session.read('secret/data/app'));
      world.vault.faults.failNext(1, 429, 'rate limit quota exceeded');
      const secret = await world.drive(
        session.read<{ data: { greeting: string } }>('secret/data/app'),
      );

      expect(secret.data?.data.greeting).toBe('hello');
      expect(world.count('GET', 'secret/data/app')).toBe(4);
    });

    it("gives up after the configured attempts with Vault's own errors", async () => {
      const session = await started({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
      world.vault.faults.failNext(10, 503, 'Vault is sealed');

      const failure = world.drive(session.read('secret/data/app'));

      await expect(failure).rejects.toBeInstanceOf(VaultRequestError);
      await expect(failure).rejects.toMatchObject({
        status: 503,
        errors: ['Vault is sealed'],
        transient: true,
      });
      expect(world.count('GET', 'secret/data/app')).toBe(3);
    });

    it('does not retry a 400', async () => {
      const session = await started();
      world.vault.faults.failNext(1, 400, 'invalid request');

      await expect(session.read('secret/data/app')).rejects.toMatchObject({
        status: 400,
        errors: ['invalid request'],
      });
      expect(world.count('GET', 'secret/data/app')).toBe(1);
    });
  });

  describe('addresses', () => {
    it('fails over from an unreachable first address and remembers the one that works', async () => {
      const dead = await resettingServer();
      world.onStop(() => dead.close());
      const session = await started({ addresses: [dead.url, world.vault.url] });

      expect(session.status().address).toBe(world.vault.url);
      expect(dead.connections()).toBe(1);
      await session.read('secret/data/app');
      await session.read('secret/data/app');

      expect(dead.connections()).toBe(1);
      expect(world.count('GET', 'secret/data/app')).toBe(2);
      expect(world.messages()).toContain('vault address changed');
    });

    it('uses the second address when nothing listens on the first', async () => {
      const session = await started({ addresses: [await closedPortUrl(), world.vault.url] });

      expect(session.status()).toMatchObject({ state: 'ready', address: world.vault.url });
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
    });

    it('throws VaultUnreachableError naming every address after the configured attempts', async () => {
      const [a, b] = [await closedPortUrl(), await closedPortUrl()];
      const session = world.session(
        await config({
          addresses: [a, b],
          retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
        }),
      );

      const failure = world.drive(session.start());

      await expect(failure).rejects.toBeInstanceOf(VaultUnreachableError);
      await expect(failure).rejects.toThrow(
        new RegExp(`${a}: .*ECONNREFUSED.*; ${b}: .*ECONNREFUSED`),
      );
      expect(session.status().state).toBe('unauthenticated');
    });

    it('moves on from a sealed node to the next address', async () => {
      const sealed = await startFakeVault({ now: () => world.clock.now() });
      world.onStop(() => sealed.stop());
      sealed.faults.sealed = true;
      const session = world.session(await config({ addresses: [sealed.url, world.vault.url] }));

      await world.drive(session.start());

      expect(session.status()).toMatchObject({ state: 'ready', address: world.vault.url });
      expect(sealed.requests.map((r) => r.status)).toEqual([503]);
      await session.read('secret/data/app');
      expect(sealed.requests).toHaveLength(1);
    });

    it('follows a 307 from a standby to the active node with body and token intact', async () => {
      const standby = await startFakeVault({ now: () => world.clock.now() });
      world.onStop(() => standby.stop());
      standby.faults.standbyRedirectTo = world.vault.url;

      const session = await started({ addresses: [standby.url] });
      const secret = await session.read<{ data: { greeting: string } }>('secret/data/app');

      expect(secret.data?.data.greeting).toBe('hello');
      // the POST login arrived at the active node as a POST with its body (it logged in), the read
      // with its token (it was authorised)
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      expect(world.count('GET', 'secret/data/app')).toBe(1);
      expect(standby.requests.map((r) => `${r.method} ${r.status}`)).toEqual(
        expect.arrayContaining(['POST 307', 'GET 307']),
      );
    });
  });

  describe('leases', () => {
    it('renews and revokes a lease with the session token', async () => {
      const session = await started();
      const creds = await session.read<{ access_key: string }>('aws/creds/legacy');
      expect(creds.renewable).toBe(true);
      expect(creds.lease_id).toMatch(/^aws\/creds\/legacy\//);
      expect(creds.data?.access_key).toMatch(/^AKIA/);

      // (not past the token's 60 s: its leases die with it, §2.4)
      await world.clock.advance(30_000);
      const renewed = await session.renewLease(creds.lease_id, 7200);
      expect(renewed).toMatchObject({
        lease_id: creds.lease_id,
        renewable: true,
        lease_duration: 7200,
      });

      await session.revokeLease(creds.lease_id);
      await expect(session.renewLease(creds.lease_id)).rejects.toMatchObject({ status: 400 });
      expect(world.count('PUT', 'sys/leases/renew')).toBe(2);
      expect(world.count('PUT', 'sys/leases/revoke')).toBe(1);
    });
  });

  describe('headers and TLS', () => {
    it('never sends a token on login, even with VAULT_TOKEN in the environment', async () => {
      const proxy = await recordingProxy(world.vault.url);
      world.onStop(() => proxy.close());
      const sessionConfig = await config({ addresses: [proxy.url] });
      withEnv({
        VAULT_TOKEN: 'hvs.stray-token-from-env',
        VAULT_NAMESPACE: 'stray',
        VAULT_PREFIX: '/stray',
      });

      const session = world.session(sessionConfig);
      await session.start();
      await session.read('secret/data/app');

      const [login, read] = proxy.seen;
      expect(login?.url).toBe('/v1/auth/approle/login');
      expect(login?.headers['x-vault-token']).toBeUndefined();
      expect(login?.headers['x-vault-namespace']).toBeUndefined();
      expect(read?.url).toBe('/v1/secret/data/app');
      expect(read?.headers['x-vault-token']).toMatch(/^hvs\./);
      expect(read?.headers['x-vault-token']).not.toBe('hvs.stray-token-from-env');
    });

    it('sends the namespace on every request', async () => {
      const proxy = await recordingProxy(world.vault.url);
      world.onStop(() => proxy.close());
      const session = world.session(await config({ addresses: [proxy.url], namespace: 'team-a/' }));

      await session.start().catch(() => undefined);

      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(proxy.seen.every((r) => r.headers['x-vault-namespace'] === 'team-a/')).toBe(true);
    });

    it('trusts Vault through the configured CA bundle, and only through it', async () => {
      const tls = testCertificates(world.dir);
      const proxy = await recordingProxy(world.vault.url, { tls });
      world.onStop(() => proxy.close());
      // node-vault would turn verification off for any non-empty VAULT_SKIP_VERIFY (§8.1)
      withEnv({ VAULT_SKIP_VERIFY: 'false' });

      const trusting = await started({ addresses: [proxy.url], caFile: tls.caFile });
      expect(trusting.status().state).toBe('ready');

      const untrusting = world.session(
        await config({ addresses: [proxy.url], retry: { maxAttempts: 1 } }),
      );
      const failure = untrusting.start();
      await expect(failure).rejects.toBeInstanceOf(VaultUnreachableError);
      await expect(failure).rejects.toThrow(/certificate/i);
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
    });
  });
});
