import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built module: it forks its sibling config-child-main.js, which exists only in dist/.
import { loadConfigInChild } from '../dist/config/load-config-in-child.js';
import type { ConfigError } from '../src/config/config-error.js';
import { loadConfig } from '../src/config/load-config.js';
import { listenOverride } from '../src/config/overrides.js';

const EXAMPLE = fileURLToPath(new URL('../examples/config.yaml', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guise-config-child-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function problemsOf(loading: Promise<unknown>): Promise<readonly string[]> {
  const error = (await loading.then(
    () => undefined,
    (e: unknown) => e,
  )) as ConfigError | undefined;
  expect(error?.name).toBe('ConfigError');
  return error?.problems ?? [];
}

describe('loadConfigInChild', () => {
  it('answers what loadConfig returns, environment and flag overrides included', async () => {
    const options = {
      env: { VAULT_ADDR: 'https://vault-2.example.com:8200', GUISE_LOG_LEVEL: 'debug' },
      overrides: listenOverride('127.0.0.1:8169'),
    };
    const config = await loadConfigInChild(EXAMPLE, options);
    expect(config).toStrictEqual(await loadConfig(EXAMPLE, options));
    expect(config.vault.addresses).toEqual(['https://vault-2.example.com:8200']);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8169 });
  });

  it('rejects with the ConfigError loadConfig throws, every line alike', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(
      file,
      'vault: { address: vault.example.com }\ncredentials: { minRemaining: soon }\naws: {}\n',
    );
    const problems = await problemsOf(loadConfigInChild(file, { env: {} }));
    expect(problems).toEqual(await problemsOf(loadConfig(file, { env: {} })));
    expect(problems).toContain(
      `${file}: credentials.minRemaining: expected a duration such as 90s, 20m, 1h or a whole number of seconds`,
    );
  });

  it('rejects with any other error as loadConfig throws it', async () => {
    const file = path.join(dir, 'alias-bomb.yaml');
    const aliases = (name: string, of: string) =>
      `${name}: &${name} [${Array(9).fill(of).join(', ')}]`;
    await writeFile(
      file,
      [
        aliases('a', 'x'),
        aliases('b', '*a'),
        aliases('c', '*b'),
        aliases('d', '*c'),
        aliases('e', '*d'),
      ].join('\n'),
    );
    const inProcess = await loadConfig(file).catch((error: unknown) => error);
    const inChild = await loadConfigInChild(file).catch((error: unknown) => error);
    expect(inProcess).toBeInstanceOf(ReferenceError);
    expect(inChild).toBeInstanceOf(ReferenceError);
    expect((inChild as Error).message).toBe((inProcess as Error).message);
  });

  it('a file it cannot read is a ConfigError too', async () => {
    const file = path.join(dir, 'missing.yaml');
    expect(await problemsOf(loadConfigInChild(file))).toEqual([
      `${file}: cannot read: no such file (ENOENT)`,
    ]);
  });
});
