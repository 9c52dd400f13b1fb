import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

type GuiseChild = ChildProcessByStdio<null, Readable, Readable>;

/** The built CLI, run as users run it (`npm run build -w @guise/agent` first). */
export const GUISE_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * The environment for a spawned process: the caller's PATH and HOME, nothing of theirs that could
 * point a client elsewhere (no AWS_*, VAULT_*, GUISE_* variables, no profile or credentials file).
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !/^(AWS_|VAULT_|GUISE_)/.test(name));
  return {
    ...Object.fromEntries(kept),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extra,
  };
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (bounded by `timeoutMs`) and collects its output. */
export async function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Finished> {
  const child = spawn(command, args, {
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, ...output() };
}

/** Runs `guise ARGS` to completion. */
export function runGuise(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<Finished> {
  return run(process.execPath, [GUISE_CLI, ...args], options);
}

/** What `guise dev --json` prints on its one stdout line. */
export interface DevSummary {
  readonly metadataUrl: string;
  readonly vaultAddr: string;
  readonly vaultToken: string;
  readonly stsEndpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly roles: string[];
  readonly tokens: string;
  readonly gcp: {
    readonly projectId: string;
    readonly projectNumber: string;
    readonly serviceAccount: string;
    readonly googleApis: string;
  };
  readonly azure: {
    readonly tenantId: string;
    readonly identities: ReadonlyArray<{
      name: string;
      systemAssigned: boolean;
      clientId?: string;
    }>;
    readonly appService: { readonly endpoint: string; readonly header: string };
  };
  readonly env: Record<string, string>;
}

export interface RunningGuise {
  readonly child: GuiseChild;
  /** What `readyWhen` returned: by default the first stdout line. */
  readonly ready: string;
  output(): { stdout: string; stderr: string };
  /** Sends `signal` and resolves with how the process ended and how long that took. */
  stop(signal?: NodeJS.Signals): Promise<Finished & { elapsedMs: number }>;
}

export interface StartOptions {
  /** Returns something once the process is ready (checked on every output chunk). */
  readonly readyWhen?: (output: { stdout: string; stderr: string }) => string | undefined;
  readonly timeoutMs?: number;
  /** Node flags before the CLI's path, e.g. `--import` of an instrumenting module. */
  readonly nodeFlags?: readonly string[];
  /** Added to the clean environment. */
  readonly env?: Readonly<Record<string, string>>;
}

const firstStdoutLine = ({ stdout }: { stdout: string }) => {
  const end = stdout.indexOf('\n');
  return end < 0 ? undefined : stdout.slice(0, end);
};

/** Starts a long-running `guise ARGS` and waits until it is ready (default: its first stdout line). */
export async function startGuise(
  args: readonly string[],
  options: StartOptions = {},
): Promise<RunningGuise> {
  const { readyWhen = firstStdoutLine, timeoutMs = 15_000, nodeFlags = [], env = {} } = options;
  const child = spawn(process.execPath, [...nodeFlags, GUISE_CLI, ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`guise ${args.join(' ')} not ready within ${timeoutMs} ms:\n${output().stderr}`),
      );
    }, timeoutMs);
    const check = () => {
      const found = readyWhen(output());
      if (found === undefined) return;
      clearTimeout(timer);
      resolve(found);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `guise ${args.join(' ')} exited with ${code} before it was ready:\n${output().stderr}`,
        ),
      );
    });
  });
  let stopped: Promise<Finished & { elapsedMs: number }> | undefined;
  return {
    child,
    ready,
    output,
    stop(signal = 'SIGTERM') {
      stopped ??= (async () => {
        const started = performance.now();
        const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const [code, how] = child.exitCode !== null ? [child.exitCode, null] : await closed;
        clearTimeout(timer);
        return { code, signal: how, elapsedMs: performance.now() - started, ...output() };
      })();
      return stopped;
    },
  };
}

/** Parses JSON log lines (stderr) into objects. */
export function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function collect(child: GuiseChild): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return () => ({ stdout, stderr });
}
