import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultLoginError } from '../src/index.js';
import { recordingProxy, VaultWorld } from './vault-fixtures.js';

describe('AppRole login', () => {
  let world: VaultWorld;

  beforeEach(async () => {
    world = await VaultWorld.create();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await world.stop();
  });

  async function accessorInfo(
    accessor: string,
  ): Promise<{ policies: string[]; meta: Record<string, string> }> {
    const answer = (await world.admin.write('auth/token/lookup-accessor', { accessor })) as {
      data: { policies: string[]; meta: Record<string, string> };
    };
    return answer.data;
  }

  it('logs in with role_id and secret_id files and removes the secret_id file afterwards', async () => {
    const roleIdFile = join(world.dir, 'role-id');
    const secretIdFile = join(world.dir, 'secret-id');
    await writeFile(roleIdFile, `${world.roleId}\n`);
    await writeFile(secretIdFile, `${await world.secretId()}\n`);
    const session = world.session({
      addresses: [world.vault.url],
      auth: { method: 'approle', roleId: { file: roleIdFile }, secretId: { file: secretIdFile } },
    });

    await session.start();

    const status = session.status();
    expect(status.state).toBe('ready');
    expect(status.address).toBe(world.vault.url);
    const info = await accessorInfo(status.accessor ?? '');
    expect(info.policies).toContain('app');
    expect(info.meta.role_name).toBe('app');
    expect(existsSync(secretIdFile)).toBe(false);
    expect(existsSync(roleIdFile)).toBe(true);
    expect(world.count('POST', 'auth/approle/login')).toBe(1);
    // a plain UUID secret_id is not mistaken for a wrapping token
    expect(world.count('POST', 'sys/wrapping/lookup')).toBe(0);
    const secret = await session.read<{ data: { greeting: string } }>('secret/data/app');
    expect(secret.data?.data.greeting).toBe('hello');
  });

  it('keeps the secret_id file when configured to', async () => {
    const secretIdFile = join(world.dir, 'secret-id');
    const secretId = await world.secretId();
    await writeFile(secretIdFile, secretId);
    const session = world.session({
      addresses: [world.vault.url],
      auth: {
        method: 'approle',
        roleId: { value: world.roleId },
        secretId: { file: secretIdFile },
        removeSecretIdFileAfterReading: false,
      },
    });

    await session.start();

    expect(session.status().state).toBe('ready');
    expect(await readFile(secretIdFile, 'utf8')).toBe(secretId);
    expect(world.count('POST', 'auth/approle/login')).toBe(1);
  });

  it('reads role_id and secret_id from environment variables', async () => {
    vi.stubEnv('GUISE_TEST_ROLE_ID', world.roleId);
    vi.stubEnv('GUISE_TEST_SECRET_ID', await world.secretId());
    const session = world.session({
      addresses: [world.vault.url],
      auth: {
        method: 'approle',
        roleId: { env: 'GUISE_TEST_ROLE_ID' },
        secretId: { env: 'GUISE_TEST_SECRET_ID' },
      },
    });

    await session.start();

    expect((await accessorInfo(session.status().accessor ?? '')).meta.role_name).toBe('app');
    expect(world.count('POST', 'auth/approle/login')).toBe(1);
  });

  it('logs in again with the secret_id it unwrapped before, not the spent wrapping token', async () => {
    vi.stubEnv('GUISE_TEST_WRAPPED_SECRET_ID', await world.wrappedSecretId());
    const session = world.session(world.appRoleConfig({ env: 'GUISE_TEST_WRAPPED_SECRET_ID' }));
    await session.start();
    const first = session.status().accessor;
    await world.admin.write('auth/token/revoke-accessor', { accessor: first });

    await session.read('secret/data/app');

    expect(session.status().accessor).not.toBe(first);
    expect(world.count('POST', 'auth/approle/login')).toBe(2);
    expect(world.count('POST', 'sys/wrapping/unwrap')).toBe(1);
  });

  it('fails clearly when the secret_id file is missing', async () => {
    const session = world.session(world.appRoleConfig({ file: join(world.dir, 'absent') }));

    await expect(session.start()).rejects.toThrow(VaultLoginError);
    await expect(session.start()).rejects.toThrow(/no secret_id in file .*absent/);
    expect(session.status().state).toBe('unauthenticated');
    expect(world.count('POST', 'auth/approle/login')).toBe(0);
  });

  it('unwraps a response-wrapped secret_id after checking its creation_path, with the wrapping token alone', async () => {
    const proxy = await recordingProxy(world.vault.url);
    world.onStop(() => proxy.close());
    const wrappingToken = await world.wrappedSecretId();
    const secretIdFile = join(world.dir, 'secret-id');
    await writeFile(secretIdFile, wrappingToken);
    const session = world.session({
      ...world.appRoleConfig({ file: secretIdFile }),
      addresses: [proxy.url],
    });

    await session.start();

    expect(session.status().state).toBe('ready');
    expect(existsSync(secretIdFile)).toBe(false);
    const calls = proxy.seen.map((r) => `${r.method} ${r.url}`);
    expect(calls.slice(0, 3)).toEqual([
      'POST /v1/sys/wrapping/lookup',
      'POST /v1/sys/wrapping/unwrap',
      'POST /v1/auth/approle/login',
    ]);
    const [lookup, unwrap, login] = proxy.seen;
    // lookup: unauthenticated, token in the body; unwrap: token as header, no body (never both)
    expect(lookup?.headers['x-vault-token']).toBeUndefined();
    expect(JSON.parse(lookup?.body ?? '{}')).toEqual({ token: wrappingToken });
    expect(unwrap?.headers['x-vault-token']).toBe(wrappingToken);
    expect(unwrap?.body).toBe('');
    expect(login?.headers['x-vault-token']).toBeUndefined();
    const loginBody = JSON.parse(login?.body ?? '{}') as { role_id: string; secret_id: string };
    expect(loginBody.role_id).toBe(world.roleId);
    expect(loginBody.secret_id).toMatch(/^[0-9a-f-]{36}$/);
    // the wrapping token is spent
    await expect(
      world.admin.write('sys/wrapping/lookup', { token: wrappingToken }),
    ).rejects.toThrow(/wrapping token is not valid or does not exist/);
  });

  it('refuses a wrapping token created for another role without unwrapping it', async () => {
    const wrappingToken = await world.wrappedSecretId('other');
    const secretIdFile = join(world.dir, 'secret-id');
    await writeFile(secretIdFile, wrappingToken);
    const session = world.session(world.appRoleConfig({ file: secretIdFile }));

    const failure = session.start();

    await expect(failure).rejects.toThrow(VaultLoginError);
    await expect(failure).rejects.toThrow(
      /created at "auth\/approle\/role\/other\/secret-id", expected auth\/approle\/role\/app\/secret-id/,
    );
    expect(world.count('POST', 'sys/wrapping/unwrap')).toBe(0);
    expect(world.count('POST', 'auth/approle/login')).toBe(0);
    expect(await readFile(secretIdFile, 'utf8')).toBe(wrappingToken);
    // still unspent: Vault still knows it
    const lookup = (await world.admin.write('sys/wrapping/lookup', { token: wrappingToken })) as {
      data: { creation_path: string };
    };
    expect(lookup.data.creation_path).toBe('auth/approle/role/other/secret-id');
  });

  it('refuses a wrapped answer that is not a secret-id even when any role is accepted', async () => {
    const wrapped = (await world.admin.read('auth/approle/role/app/role-id', {
      headers: { 'X-Vault-Wrap-TTL': '300' },
    })) as { wrap_info: { token: string } };
    const session = world.session({
      addresses: [world.vault.url],
      auth: {
        method: 'approle',
        roleId: { value: world.roleId },
        secretId: { value: wrapped.wrap_info.token },
        wrapped: true,
      },
    });

    await expect(session.start()).rejects.toThrow(
      /created at "auth\/approle\/role\/app\/role-id", expected auth\/approle\/role\/\*\/secret-id/,
    );
    expect(world.count('POST', 'sys/wrapping/unwrap')).toBe(0);
  });

  it('says clearly that a wrapping token was already unwrapped, without echoing it', async () => {
    const wrappingToken = await world.wrappedSecretId();
    await world.admin.write('sys/wrapping/unwrap', { token: wrappingToken });
    const session = world.session(world.appRoleConfig({ value: wrappingToken }));

    const failure = session.start();

    await expect(failure).rejects.toThrow(VaultLoginError);
    await expect(failure).rejects.toThrow(
      /already unwrapped .* or has expired; deliver a fresh one/,
    );
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain(wrappingToken);
    expect(world.count('POST', 'auth/approle/login')).toBe(0);
  });

  it('cuts the secret_id out of a Vault error that echoes it', async () => {
    const secretId = await world.secretId();
    const session = world.session(
      world.appRoleConfig({ value: secretId }, { retry: { maxAttempts: 1 } }),
    );
    world.vault.faults.failNext(1, 400, `invalid secret_id "${secretId}"`);

    const failure = session.start();

    await expect(failure).rejects.toThrow(VaultLoginError);
    await expect(failure).rejects.toMatchObject({
      cause: { status: 400, errors: ['invalid secret_id "[redacted]"'] },
    });
    expect(session.status().lastError).toMatch(
      /^approle: Vault refused the login \(invalid secret_id "\[redacted\]"\)/,
    );
    expect(world.logText).not.toContain(secretId);
  });

  it('says what to do when the secret_id is used up, and takes a fresh one delivered to its file', async () => {
    const secretIdFile = join(world.dir, 'secret-id');
    const spent = await world.secretId();
    await world.admin.write('auth/approle/role/app/secret-id/destroy', { secret_id: spent });
    await writeFile(secretIdFile, spent);
    const session = world.session({
      ...world.appRoleConfig({ file: secretIdFile }),
      retry: { maxAttempts: 1 },
    });

    const failure = session.start();

    await expect(failure).rejects.toThrow(VaultLoginError);
    await expect(failure).rejects.toThrow(
      `approle: Vault refused the login (invalid role or secret ID): the secret_id from file ${secretIdFile} is used up, expired or revoked, or the role_id is wrong; deliver a fresh secret_id to file ${secretIdFile} (each login attempt reads it again)`,
    );
    await writeFile(secretIdFile, await world.wrappedSecretId());
    await session.start();
    expect(session.status().state).toBe('ready');
    expect(existsSync(secretIdFile)).toBe(false);
    expect(world.logText).not.toContain(spent);
  });

  it('never writes the secret_id, the wrapping token or the Vault token to its logs', async () => {
    const wrappingToken = await world.wrappedSecretId();
    const storePath = join(world.dir, 'token.json');
    const session = world.session(
      world.appRoleConfig(
        { value: wrappingToken },
        { tokenStorePath: storePath, revokeTokenOnClose: false },
      ),
    );
    await session.start();
    await session.read('secret/data/app');
    const { token } = JSON.parse(await readFile(storePath, 'utf8')) as { token: string };

    expect(world.messages()).toContain('vault login succeeded');
    expect(world.logText).not.toContain(wrappingToken);
    expect(world.logText).not.toContain(token);
    expect(world.logText).not.toMatch(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/,
    );
  });
});
