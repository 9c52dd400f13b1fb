import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  GUISE_CLI,
  logLines,
  run,
  runGuise,
  startGuise,
} from './support/guise-process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guise-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A config whose Vault is a loopback port nobody listens on: the agent runs, Vault stays "down". */
async function configFile(name: string, extra = ''): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(
    file,
    `listen: 127.0.0.1:0
vault:
  address: http://127.0.0.1:9
  auth:
    approle:
      roleId: { value: role-1 }
      secretId: { value: secret-1, wrapped: false }
aws:
  role: { name: app }
${extra}`,
  );
  return file;
}

describe('guise --help', () => {
  it.each([
    [
      [],
      [
        'agent',
        'dev',
        'Examples:',
        'Exit status: 0 ok, 1 runtime failure, 2 bad usage or configuration',
      ],
    ],
    [['agent'], ['--config <file>', '--listen <host:port>', 'Examples:', 'VAULT_ADDR', 'SIGTERM']],
    [['dev'], ['--listen <host:port>', '--json', 'Examples:']],
  ])('guise %j --help explains itself with examples', async (command, phrases) => {
    const { code, stdout } = await runGuise([...command, '--help']);
    expect(code).toBe(0);
    for (const phrase of phrases) expect(stdout).toContain(phrase);
  });

  it('prints the version', async () => {
    const { code, stdout } = await runGuise(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the guise bin npm links', () => {
  const bin = new URL('../bin/guise.js', import.meta.url);

  it('is a file in the checkout, so npm links it before the first build, and runs the CLI', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { bin: Record<string, string>; version: string };
    expect(manifest.bin).toEqual({ guise: './bin/guise.js' });
    const { code, stdout } = await run(process.execPath, [bin.pathname, '--version']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: `${manifest.version}\n` });
  });

  it('says to build first where dist/ is missing', async () => {
    const unbuilt = path.join(dir, 'unbuilt');
    await mkdir(path.join(unbuilt, 'bin'), { recursive: true });
    await copyFile(bin, path.join(unbuilt, 'bin', 'guise.js'));
    await writeFile(path.join(unbuilt, 'package.json'), '{"type":"module"}');
    const { code, stderr } = await run(process.execPath, [path.join(unbuilt, 'bin', 'guise.js')]);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr:
        'guise is not built yet: run `npm run build` (or `npm start`) in the checkout first\n',
    });
  });
});

describe('bad usage exits 2', () => {
  it.each([
    [['agent'], "required option '-c, --config <file>' not specified"],
    [['agent', '--config'], "option '-c, --config <file>' argument missing"],
    [['dev', '--jsn'], "unknown option '--jsn'"],
    [['serve'], "unknown command 'serve'"],
    [
      ['credential-process', '--role', 'app', '--from', '127.0.0.1:8169'],
      "option '--from <url>' argument '127.0.0.1:8169' is invalid. expected an http:// URL, such as http://127.0.0.1:8169",
    ],
    [[], 'Usage: guise'],
  ])('guise %j', async (args, message) => {
    const { code, stderr } = await runGuise(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a config with mistakes: every problem named by file and key', async () => {
    const file = await configFile(
      'bad.yaml',
      'credentials: { minRemaining: soon, revokeOnShutdwon: true }\n',
    );
    const { code, stdout, stderr } = await runGuise(['agent', '--config', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `${file}: credentials.minRemaining: expected a duration such as 90s, 20m, 1h or a whole number of seconds`,
    );
    expect(stderr).toContain(
      `${file}: credentials.revokeOnShutdwon: unknown key; expected one of minRemaining, revokeOnShutdown`,
    );
  });

  it('a missing config file', async () => {
    const { code, stderr } = await runGuise(['agent', '--config', path.join(dir, 'nope.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('nope.yaml: cannot read: no such file (ENOENT)');
  });

  it('--listen on a routable address', async () => {
    const { code, stderr } = await runGuise([
      'agent',
      '--config',
      await configFile('ok.yaml'),
      '--listen',
      '0.0.0.0:8080',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--listen (listen): 0.0.0.0 is neither loopback nor link-local');
  });

  it.each([
    ['http://127.0.0.1:8080/', 'drop the scheme and path: "127.0.0.1:8080"'],
    ['127.0.0.1:99999', 'port 99999 is out of range (0-65535)'],
    ['localhost', 'expected HOST:PORT, [IPV6]:PORT or PORT'],
  ])('--listen %s says what to write instead', async (listen, reason) => {
    const { code, stderr } = await runGuise([
      'agent',
      '--config',
      await configFile('ok.yaml'),
      '--listen',
      listen,
    ]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`--listen (listen): ${reason}`);
  });

  it('guise dev --listen on a routable address is refused without suggesting allowRemote', async () => {
    const { code, stderr } = await runGuise(['dev', '--listen', '0.0.0.0:8080']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      '--listen: 0.0.0.0 is neither loopback nor link-local; guise dev serves this machine only (guise agent with allowRemote: true serves a network)',
    );
  });
});

describe('guise agent', () => {
  it('exits 1 when it cannot listen', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const { code, stderr } = await runGuise([
        'agent',
        '--config',
        await configFile('busy.yaml'),
        '--listen',
        `127.0.0.1:${port}`,
      ]);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n').at(-1)).toBe(
        `cannot listen on 127.0.0.1:${port}: the address is already in use (another guise or metadata server?): stop it or choose another address`,
      );
    } finally {
      busy.close();
    }
  });

  it('serves while Vault is down, logs JSON lines on stderr and shuts down on SIGTERM with exit 0', async () => {
    const agent = await startGuise(['agent', '--config', await configFile('run.yaml')], {
      readyWhen: ({ stderr }) =>
        logLines(stderr).find((line) => line.msg === 'agent listening')?.url as string,
    });
    try {
      const listing = await fetch(`${agent.ready}/latest/meta-data/iam/security-credentials/`);
      expect(await listing.text()).toBe('app');
      expect(
        (await fetch(`${agent.ready}/latest/meta-data/iam/security-credentials/app`)).status,
      ).toBe(503);
    } finally {
      const { code, stdout, stderr, elapsedMs } = await agent.stop('SIGTERM');
      expect(code).toBe(0);
      expect(elapsedMs).toBeLessThan(2000);
      expect(stdout).toBe('');
      const lines = logLines(stderr);
      expect(lines.filter((line) => line.msg === 'shutting down')).toEqual([
        expect.objectContaining({ level: 'info', signal: 'SIGTERM' }),
      ]);
      expect(stderr).not.toContain('secret-1');
    }
  });

  it('a stop sent to its process group while the config is being checked ends it with exit 0', async () => {
    // systemd (KillMode=control-group) and a terminal's Ctrl-C signal every process of the group,
    // the config-checking child among them: before the fix that child died of it and the agent
    // exited 1, "checking … failed: its process ended (SIGTERM)". The config is a FIFO, so the
    // check is certain to be under way, blocked reading it, when the signal comes.
    const fifo = path.join(dir, 'stop-early.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const agent = spawn(process.execPath, [GUISE_CLI, 'agent', '--config', fifo], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pid = agent.pid ?? 0;
    try {
      let stderr = '';
      agent.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const closed = once(agent, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
      const deadline = Date.now() + 10_000;
      while ((await childrenOf(pid)).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      process.kill(-pid, 'SIGTERM');
      // A check that outlived the signal gets its config and answers; one that died of it has
      // no reader on the FIFO (ENXIO), and the agent is on its way out already.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writeToFifo(fifo, await readFile(await configFile('stop-early.yaml'), 'utf8'));
      const [code] = await closed;
      expect({ code, stderr }).toMatchObject({ code: 0 });
      expect(logLines(stderr).map((line) => line.msg)).toEqual(['stopped before starting']);
    } finally {
      if (agent.exitCode === null && agent.signalCode === null) process.kill(-pid, 'SIGKILL');
    }
  });
});

/** Writes `text` to a FIFO if something reads it; without a reader, does nothing. */
async function writeToFifo(fifo: string, text: string): Promise<void> {
  const file = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENXIO') return undefined;
      throw error;
    },
  );
  await file?.writeFile(text);
  await file?.close();
}

/** Pids of the processes whose parent is `pid` (Linux /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name is in parentheses and may hold spaces; the parent pid follows the state.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) found.push(Number(entry));
  }
  return found;
}
