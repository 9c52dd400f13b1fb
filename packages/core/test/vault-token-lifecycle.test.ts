import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultRequestError } from '../src/index.js';
import type { VaultSessionConfig } from '../src/index.js';
import { recordingProxy, VaultWorld } from './vault-fixtures.js';

interface Stored {
  version: number;
  authMethod: string;
  accessor: string;
  expiresAt: string | null;
  token: string;
}

describe('Vault token lifecycle', () => {
  let world: VaultWorld;

  afterEach(async () => {
    await world.stop();
  });

  async function revoke(accessor: string | undefined): Promise<void> {
    await world.admin.write('auth/token/revoke-accessor', { accessor });
  }

  describe('renewal', () => {
    it('renews the token at 2/3 of its TTL, on the moved clock', async () => {
      world = await VaultWorld.create({ tokenTtl: 60, tokenMaxTtl: 3600 });
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();
      const start = world.clock.now();
      expect(session.status().tokenExpiresAt).toBe(start + 60_000);

      await world.clock.advance(39_000);
      expect(world.count('POST', 'auth/token/renew-self')).toBe(0);
      await world.advanceAndWait(1_000, () =>
        expect(world.count('POST', 'auth/token/renew-self')).toBe(1),
      );
      // renewed at t+40 s for the role's 60 s
      await world.advanceAndWait(0, () =>
        expect(session.status().tokenExpiresAt).toBe(start + 40_000 + 60_000),
      );
      await world.clock.advance(39_000);
      expect(world.count('POST', 'auth/token/renew-self')).toBe(1);
      await world.advanceAndWait(1_000, () =>
        expect(world.count('POST', 'auth/token/renew-self')).toBe(2),
      );

      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      expect(session.status().state).toBe('ready');
    });

    it('jitters the renewal to between 60% and 2/3 of the TTL by default', async () => {
      world = await VaultWorld.create({ tokenTtl: 100, tokenMaxTtl: 3600 });
      const session = world.session({
        ...world.appRoleConfig({ value: await world.secretId() }),
        renew: undefined,
      });
      await session.start();

      await world.clock.advance(59_900);
      expect(world.count('POST', 'auth/token/renew-self')).toBe(0);
      await world.advanceAndWait(6_800, () =>
        expect(world.count('POST', 'auth/token/renew-self')).toBe(1),
      );
    });

    it('logs in again when renewal reaches the max TTL', async () => {
      world = await VaultWorld.create({ tokenTtl: 60, tokenMaxTtl: 100 });
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();
      const first = session.status().accessor;

      // t=40 s: renewed to exactly the max TTL (100 s), no warning yet. The clock stops exactly on
      // the due time so that the session and the fake see the same "now" while the call is in flight.
      await world.advanceAndWait(40_000, () =>
        expect(world.count('POST', 'auth/token/renew-self')).toBe(1),
      );
      await world.advanceAndWait(0, () =>
        expect(session.status().tokenExpiresAt).toBe(world.clock.now() + 60_000),
      );
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      // t=80 s: Vault caps the TTL at 20 s with the max_ttl warning → re-login
      await world.advanceAndWait(40_000, () =>
        expect(world.count('POST', 'auth/approle/login')).toBe(2),
      );
      await world.advanceAndWait(0, () => expect(session.status().accessor).not.toBe(first));

      expect(world.count('POST', 'auth/token/renew-self')).toBe(2);
      expect(session.status().state).toBe('ready');
      expect(session.status().tokenExpiresAt).toBe(world.clock.now() + 60_000);
      const relogin = world.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'vault re-login succeeded');
      expect(relogin).toMatchObject({
        reason: 'token reached its max TTL',
        previousAccessor: first,
      });
    });

    it('logs in again as soon as Vault warns that the max TTL capped a renewal', async () => {
      world = await VaultWorld.create({ tokenTtl: 60, tokenMaxTtl: 90 });
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();
      const first = session.status().accessor;

      // t=40 s: Vault grants 50 s instead of 60 (expiry still moves from 60 to 90 s) and warns
      await world.advanceAndWait(40_000, () => expect(session.status().accessor).not.toBe(first));

      expect(world.count('POST', 'auth/token/renew-self')).toBe(1);
      expect(world.count('POST', 'auth/approle/login')).toBe(2);
      expect(session.status().tokenExpiresAt).toBe(world.clock.now() + 60_000);
    });

    it('logs in again when renewal stops extending the token, even without a warning', async () => {
      world = await VaultWorld.create({ tokenTtl: 60, tokenMaxTtl: 100 });
      // an older Vault: no warnings in answers
      const proxy = await recordingProxy(world.vault.url, {
        rewrite: (answer) => ({ ...answer, warnings: null }),
      });
      world.onStop(() => proxy.close());
      const session = world.session({
        ...world.appRoleConfig({ value: await world.secretId() }),
        addresses: [proxy.url],
      });
      await session.start();
      const first = session.status().accessor;

      await world.advanceAndWait(40_000, () =>
        expect(session.status().tokenExpiresAt).toBe(world.clock.now() + 60_000),
      );
      // t=80 s: Vault caps the TTL at 20 s (expiry stays at 100 s), silently → re-login
      await world.advanceAndWait(40_000, () => expect(session.status().accessor).not.toBe(first));

      expect(world.count('POST', 'auth/token/renew-self')).toBe(2);
      expect(world.count('POST', 'auth/approle/login')).toBe(2);
      const relogin = world.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'vault re-login succeeded');
      expect(relogin).toMatchObject({ reason: 'renewal no longer extends the token' });
    });

    it('logs in again when renewal is refused because the token was revoked', async () => {
      world = await VaultWorld.create({ tokenTtl: 60 });
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();
      const first = session.status().accessor;
      await revoke(first);

      await world.advanceAndWait(41_000, () => expect(session.status().accessor).not.toBe(first));

      expect(world.count('POST', 'auth/approle/login')).toBe(2);
      expect(session.status().state).toBe('ready');
      const data = await session.read<{ data: { greeting: string } }>('secret/data/app');
      expect(data.data?.data.greeting).toBe('hello');
    });

    it('keeps the token while renewal fails transiently, then recovers', async () => {
      world = await VaultWorld.create({ tokenTtl: 60 });
      const session = world.session({
        ...world.appRoleConfig({ value: await world.secretId() }),
        retry: { maxAttempts: 1 },
      });
      await session.start();
      const accessor = session.status().accessor;
      world.vault.faults.sealed = true;

      await world.advanceAndWait(41_000, () => expect(session.status().state).toBe('degraded'));
      expect(session.status().lastError).toMatch(/503/);
      world.vault.faults.sealed = false;
      await world.advanceAndWait(10_000, () => expect(session.status().state).toBe('ready'));

      expect(session.status().accessor).toBe(accessor);
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      expect(world.messages()).toEqual(
        expect.arrayContaining(['vault token renewal failing', 'vault token renewal recovered']),
      );
    });

    it('says once that renewal fails and once that the token expired meanwhile, however long Vault stays down', async () => {
      world = await VaultWorld.create({ tokenTtl: 60 });
      const session = world.session({
        ...world.appRoleConfig({ value: await world.secretId() }),
        retry: { maxAttempts: 1 },
      });
      await session.start();
      world.vault.faults.sealed = true;
      await world.advanceAndWait(41_000, () => expect(session.status().state).toBe('degraded'));
      await world.advanceAndWait(25_000, () =>
        expect(session.status().state).toBe('unauthenticated'),
      );
      for (let i = 0; i < 10; i += 1) await world.advanceAndWait(60_000, () => undefined);
      const warnings = world
        .messages()
        .filter((m) => m.includes('failing') || m.includes('expired'));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toBe('vault token renewal failing');
      expect(warnings[1]).toMatch(/^vault (login failing|token expired while renewal was failing)/);
    });
  });

  describe('persistence', () => {
    async function persistedWorld(): Promise<{ config: VaultSessionConfig; storePath: string }> {
      world = await VaultWorld.create({ tokenTtl: 60 });
      const storePath = join(world.dir, 'state', 'vault-token.json');
      const secretIdFile = join(world.dir, 'secret-id');
      await writeFile(secretIdFile, await world.secretId());
      return {
        config: world.appRoleConfig({ file: secretIdFile }, { tokenStorePath: storePath }),
        storePath,
      };
    }

    it('keeps the token in a 0600 file, written atomically, and a second session adopts it without logging in', async () => {
      const { config, storePath } = await persistedWorld();
      const first = world.session(config);
      await first.start();
      const accessor = first.status().accessor;
      await first.close();

      expect((await stat(storePath)).mode & 0o777).toBe(0o600);
      expect(await readdir(join(world.dir, 'state'))).toEqual(['vault-token.json']);
      const stored = JSON.parse(await readFile(storePath, 'utf8')) as Stored;
      expect(stored).toMatchObject({ version: 1, authMethod: 'approle', accessor });
      expect(stored.expiresAt).toBe(new Date(world.clock.now() + 60_000).toISOString());

      // ten seconds later, a restart: the secret_id file is gone, the token is not
      await world.clock.advance(10_000);
      const second = world.session(config);
      await second.start();

      expect(second.status().accessor).toBe(accessor);
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      expect(world.count('GET', 'auth/token/lookup-self')).toBe(1);
      expect(world.messages()).toContain('vault token adopted from disk');
      // renewal continues from the TTL Vault reported (50 s left → renew after 33.3 s)
      await world.clock.advance(32_000);
      expect(world.count('POST', 'auth/token/renew-self')).toBe(0);
      await world.advanceAndWait(2_000, () =>
        expect(second.status().tokenExpiresAt).toBe(world.clock.now() + 60_000),
      );
      expect(world.count('POST', 'auth/token/renew-self')).toBe(1);
    });

    it('replaces an expired persisted token with a login', async () => {
      const { config, storePath } = await persistedWorld();
      const first = world.session(config);
      await first.start();
      const accessor = first.status().accessor;
      await first.close();
      await world.clock.advance(120_000);
      await writeFile(join(world.dir, 'secret-id'), await world.secretId());

      const second = world.session(config);
      await second.start();

      expect(second.status().accessor).not.toBe(accessor);
      expect(world.count('POST', 'auth/approle/login')).toBe(2);
      expect(world.count('GET', 'auth/token/lookup-self')).toBe(0);
      const stored = JSON.parse(await readFile(storePath, 'utf8')) as Stored;
      expect(stored.accessor).toBe(second.status().accessor);
    });

    it('replaces a persisted token that Vault no longer knows with a login', async () => {
      const { config } = await persistedWorld();
      const first = world.session(config);
      await first.start();
      const accessor = first.status().accessor;
      await first.close();
      await revoke(accessor);
      await writeFile(join(world.dir, 'secret-id'), await world.secretId());

      const second = world.session(config);
      await second.start();

      expect(second.status().accessor).not.toBe(accessor);
      expect(world.count('GET', 'auth/token/lookup-self')).toBe(1);
      expect(world.count('POST', 'auth/approle/login')).toBe(2);
    });

    it('logs in past a token file that holds a raw token, never logging any of it', async () => {
      const { config, storePath } = await persistedWorld();
      const raw = 'hvs.CAESIRawTokenWrittenHereByMistake';
      await mkdir(join(world.dir, 'state'));
      await writeFile(storePath, `${raw}\n`);

      const session = world.session(config);
      await session.start();

      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      expect(world.logText).toContain(`token store ${storePath}: unrecognised contents`);
      // JSON.parse's own message quoted the file's first characters: "hvs.CAESIR"...
      expect(world.logText).not.toContain(raw.slice(0, 6));
    });

    it('revokes the token and forgets it on close when configured to', async () => {
      const { config, storePath } = await persistedWorld();
      const session = world.session({ ...config, revokeTokenOnClose: true });
      await session.start();
      const accessor = session.status().accessor;

      await session.close();

      expect(session.status().state).toBe('closed');
      await expect(readFile(storePath)).rejects.toThrow(/ENOENT/);
      await expect(world.admin.write('auth/token/lookup-accessor', { accessor })).rejects.toThrow();
    });
  });

  describe('403 on a data call', () => {
    it('logs in once more and retries when the token was revoked', async () => {
      world = await VaultWorld.create();
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();
      const first = session.status().accessor;
      await revoke(first);

      const secret = await session.read<{ data: { greeting: string } }>('secret/data/app');

      expect(secret.data?.data.greeting).toBe('hello');
      expect(world.count('POST', 'auth/approle/login')).toBe(2);
      expect(world.count('GET', 'secret/data/app')).toBe(2);
      expect(session.status().accessor).not.toBe(first);
    });

    it('treats a 403 with a valid token as a permission error: no login', async () => {
      world = await VaultWorld.create();
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();

      const failure = session.read('secret/data/elsewhere');

      await expect(failure).rejects.toBeInstanceOf(VaultRequestError);
      await expect(failure).rejects.toMatchObject({ status: 403, errors: ['permission denied'] });
      expect(world.count('POST', 'auth/approle/login')).toBe(1);
      expect(world.count('GET', 'secret/data/elsewhere')).toBe(1);
    });

    it('gives up after one re-login when the new token is refused too', async () => {
      world = await VaultWorld.create();
      const session = world.session(world.appRoleConfig({ value: await world.secretId() }));
      await session.start();
      await revoke(session.status().accessor);

      await expect(session.read('secret/data/elsewhere')).rejects.toMatchObject({ status: 403 });

      expect(world.count('POST', 'auth/approle/login')).toBe(2);
      expect(world.count('GET', 'secret/data/elsewhere')).toBe(2);
    });
  });

  describe('token file', () => {
    async function tokenFor(policies: string[]): Promise<{ token: string; accessor: string }> {
      const answer = (await world.admin.write('auth/token/create', { policies, ttl: '1h' })) as {
        auth: { client_token: string; accessor: string };
      };
      return { token: answer.auth.client_token, accessor: answer.auth.accessor };
    }

    it('uses the token in the file and reads the file again when the token stops working', async () => {
      world = await VaultWorld.create();
      const tokenFile = join(world.dir, 'sink');
      const first = await tokenFor(['app']);
      await writeFile(tokenFile, `${first.token}\n`);
      const storePath = join(world.dir, 'kept-token.json');
      const session = world.session({
        addresses: [world.vault.url],
        auth: { method: 'tokenFile', path: tokenFile },
        tokenStorePath: storePath,
      });

      await session.start();
      expect(session.status()).toMatchObject({ state: 'ready', accessor: first.accessor });
      expect(session.status().tokenExpiresAt).toBe(world.clock.now() + 3_600_000);

      // the sink's writer re-authenticates; the old token is revoked
      const second = await tokenFor(['app']);
      await writeFile(tokenFile, second.token);
      await revoke(first.accessor);
      const secret = await session.read<{ data: { greeting: string } }>('secret/data/app');

      expect(secret.data?.data.greeting).toBe('hello');
      expect(session.status().accessor).toBe(second.accessor);
      expect(world.count('POST', 'auth/approle/login')).toBe(0);
      // the file is the kept token: no second copy
      await expect(stat(storePath)).rejects.toThrow(/ENOENT/);
    });

    it('fails clearly while the file holds a dead token', async () => {
      world = await VaultWorld.create();
      const tokenFile = join(world.dir, 'sink');
      const dead = await tokenFor(['app']);
      await revoke(dead.accessor);
      await writeFile(tokenFile, dead.token);
      const session = world.session({
        addresses: [world.vault.url],
        auth: { method: 'tokenFile', path: tokenFile },
      });

      await expect(session.start()).rejects.toThrow(/token in file .*sink is expired or revoked/);
      expect(session.status().state).toBe('unauthenticated');
    });
  });
});
