import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from './child-messages.js';

export interface SpawnedChild {
  readonly process: ChildProcess;
  /** `performance.now()`-style timestamp (ms) taken just before `fork()`. */
  readonly spawnedAt: number;
  next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>>;
  send(message: ParentMessage): void;
  /** Resident set size of the child, read from /proc (Linux), in MB (10^6 bytes, issue 5's unit). */
  rssMB(): number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  readonly execArgv?: readonly string[];
}

/**
 * Forks one of the compiled entry points in `../servers/` as the server under test, so that its
 * memory and CPU are its own and the load generator in this process does not share its event loop.
 */
export function spawnChild(entry: string, options: SpawnOptions = {}): SpawnedChild {
  const script = fileURLToPath(new URL(`../servers/${entry}.js`, import.meta.url));
  const spawnedAt = performance.now();
  const child = fork(script, [], {
    env: { ...process.env, ...options.env },
    execArgv: [...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Messages are kept until asked for, so a caller may wait for "ready" after it was sent.
  const received: ChildMessage[] = [];
  const waiters: Array<{ type: ChildMessage['type']; resolve: (m: ChildMessage) => void }> = [];
  child.on('message', (message: ChildMessage) => {
    const index = waiters.findIndex((w) => w.type === message.type);
    const [waiter] = index >= 0 ? waiters.splice(index, 1) : [];
    if (waiter) waiter.resolve(message);
    else received.push(message);
  });
  const next = (type: ChildMessage['type']): Promise<ChildMessage> => {
    const index = received.findIndex((m) => m.type === type);
    const [message] = index >= 0 ? received.splice(index, 1) : [];
    if (message) return Promise.resolve(message);
    return new Promise((resolve, reject) => {
      waiters.push({ type, resolve });
      void exited.then(() => reject(new Error(`${entry} exited before sending "${type}"`)));
    });
  };
  return {
    process: child,
    spawnedAt,
    next: next as SpawnedChild['next'],
    send: (message) => child.send(message),
    rssMB: () => {
      // /proc says "kB" and means KiB.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
      return (kib * 1024) / 1e6;
    },
    stop: async () => {
      // SIGINT lets the agent stop cleanly, which is also when `--cpu-prof` writes its profile.
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
