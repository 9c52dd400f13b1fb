import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadGenerator, LoadOptions, LoadResult } from '../load-generator.js';
import { parseWrkResult } from './wrk-result.js';
import { wrkScript } from './wrk-script.js';

const run = promisify(execFile);

/** A response slower than this counts as a timeout; far above any latency seen on loopback. */
const TIMEOUT = '10s';

/** wrk's version line (`wrk -v` prints it and exits 1), or undefined when wrk is not on PATH. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error) return undefined;
  return /^wrk \S+/.exec(probe.stdout)?.[0] ?? 'wrk';
}

/**
 * wrk (https://github.com/wg/wrk): C, epoll, one event loop per thread. It handles a server's
 * `Connection: close` by reconnecting, and sends each request only once the previous answer on
 * that connection is complete, so that answers are never misattributed.
 */
export function wrkGenerator(version: string, threads: number): LoadGenerator {
  return {
    name: `${version}, ${threads} thread${threads === 1 ? '' : 's'}`,
    run: (options) => runWrk(options, threads),
  };
}

async function runWrk(options: LoadOptions, threads: number): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'guise-bench-wrk-'));
  try {
    const script = path.join(dir, 'scenario.lua');
    const hostHeader = `${options.host}:${options.port}`;
    await writeFile(script, wrkScript(options.scenario, hostHeader, options.keepAlive));
    const { stdout } = await run('wrk', [
      `--threads=${Math.min(threads, options.connections)}`,
      `--connections=${options.connections}`,
      `--duration=${options.seconds}s`,
      `--timeout=${TIMEOUT}`,
      `--script=${script}`,
      `http://${hostHeader}/`,
    ]);
    return parseWrkResult(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
