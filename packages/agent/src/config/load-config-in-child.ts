import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import type { LoadConfigOptions } from './load-config.js';
import type { ConfigOverride } from './overrides.js';
import type { AgentConfig } from './schema.js';

/** What `loadConfigInChild` asks its child: `loadConfig(file, { env, overrides })`. */
export interface ConfigRequest {
  readonly file: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly overrides: readonly ConfigOverride[];
}

/**
 * What the child answers: the validated config, the problems of the ConfigError it threw, or any
 * other error (structured clone keeps a built-in error's class, message and stack).
 */
export type ConfigAnswer =
  | { readonly config: AgentConfig }
  | { readonly problems: readonly string[] }
  | { readonly failure: unknown };

/**
 * The checking process was ended by a signal before it answered: a stop sent to the agent's whole
 * process group (systemd, a terminal's Ctrl-C) can reach it while it is still starting, before it
 * can ignore one.
 */
export class ConfigCheckInterrupted extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigCheckInterrupted';
  }
}

const CHILD_MAIN = fileURLToPath(new URL('./config-child-main.js', import.meta.url));

/**
 * `loadConfig` run in a short-lived process of its own, for the long-running agent. Parsing YAML
 * and validating with zod loads about 170 modules (yaml, zod with its locales, the schemas) whose
 * code and objects stay in a process for good (an ES module is never unloaded): ≈ 8 MiB of idle
 * RSS for work done once at start. The answer is what `loadConfig` returns (a structured clone
 * of plain data), or the same ConfigError with the same lines; the cost is one `node` start,
 * which overlaps with the agent loading its own modules.
 */
export function loadConfigInChild(
  file: string,
  options: LoadConfigOptions = {},
): Promise<AgentConfig> {
  const child = fork(CHILD_MAIN, [], {
    serialization: 'advanced',
    // The child validates and exits: none of the agent's Node flags (heap sizing, profiling) apply.
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let answer: ConfigAnswer | undefined;
  child.once('message', (message: ConfigAnswer) => (answer = message));
  const request: ConfigRequest = {
    file,
    env: { ...(options.env ?? process.env) },
    overrides: options.overrides ?? [],
  };
  child.send(request);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (answer && 'config' in answer) resolve(answer.config);
      else if (answer && 'problems' in answer) reject(new ConfigError(answer.problems));
      else if (answer) reject(answer.failure);
      else {
        const output = stderr.trim();
        const message = `checking ${file} failed: its process ended (${signal ?? `status ${code}`})${output && `:\n${output}`}`;
        reject(signal ? new ConfigCheckInterrupted(signal, message) : new Error(message));
      }
    });
  });
}
