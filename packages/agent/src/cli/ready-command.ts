import { setTimeout as sleep } from 'node:timers/promises';
import { hostAndPort } from '@guise/core/listen';
import { loadConfig } from '../config/load-config.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';

export interface ReadyOptions {
  readonly config: string;
  /** Seconds to wait at most. */
  readonly timeout: number;
}

const POLL_MS = 250;

/**
 * `guise ready`: waits until the agent configured in `config` is ready, for systemd's
 * ExecStartPost= (the unit counts as started only when this exits 0, so units ordered after it
 * start once the endpoint serves). Ready means `/readyz` answers 200 when metrics are on (a
 * credential is in hand), else that the metadata listener answers at all.
 */
export async function runReadyCommand(options: ReadyOptions): Promise<ExitCode> {
  const config = await loadConfig(options.config);
  const probe = config.metrics.listen
    ? { url: `${httpBase(config.metrics.listen)}/readyz`, ok: (status: number) => status === 200 }
    : { url: `${httpBase(config.listen)}/`, ok: () => true };
  const deadline = Date.now() + options.timeout * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const answer = await fetch(probe.url, { signal: AbortSignal.timeout(2_000) });
      await answer.body?.cancel();
      if (probe.ok(answer.status)) {
        process.stdout.write(`ready (${probe.url})\n`);
        return EXIT.ok;
      }
      last = `status ${answer.status}`;
    } catch (error) {
      last =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
    await sleep(POLL_MS);
  }
  process.stderr.write(`not ready after ${options.timeout}s: ${probe.url}: ${last}\n`);
  return EXIT.failure;
}

function httpBase({ host, port }: { host: string; port: number }): string {
  // An agent bound to every address is reached on loopback.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${hostAndPort(reachable, port)}`;
}
