import { performance } from 'node:perf_hooks';
import type { RawResponse } from './http-exchange.js';
import { RawConnection, requestBytes } from './http-exchange.js';
import type { LatencySummary } from './latency-summary.js';
import { summarizeLatencies } from './latency-summary.js';
import type { Scenario } from './scenario.js';

export interface LoadOptions {
  readonly port: number;
  /** Always a loopback address the benchmark started a server on. */
  readonly host: '127.0.0.1';
  readonly scenario: Scenario;
  /** Simulated clients, each running the scenario in a closed loop. */
  readonly connections: number;
  readonly durationMs: number;
  /** Ask for keep-alive (a connection is reused until the server closes it) or send `Connection: close`. */
  readonly keepAlive: boolean;
}

export interface LoadResult extends LatencySummary {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Connection failures and responses cut short. */
  readonly errors: number;
  /** Complete responses whose status was not 2xx. */
  readonly non2xx: number;
}

/** Latencies stored per run; a run longer than this many requests keeps counting but stops sampling. */
const MAX_SAMPLES = 2_000_000;

/**
 * A closed-loop load generator: every client sends its next request as soon as the previous one is
 * answered, for `durationMs`. Latency runs from the moment a request is due — including the TCP
 * connect when a new connection is needed, which is what an IMDS client pays on every request.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const hostHeader = `${options.host}:${options.port}`;
  const samples = new Float64Array(MAX_SAMPLES);
  let count = 0;
  let requests = 0;
  let errors = 0;
  let non2xx = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const client = async (): Promise<void> => {
    let connection: RawConnection | undefined;
    while (performance.now() < deadline) {
      let previous: RawResponse | undefined;
      for (const step of options.scenario) {
        const due = performance.now();
        try {
          if (!connection || connection.closed)
            connection = await RawConnection.open(options.port, options.host);
          const spec = step.request(previous);
          previous = await connection.exchange(requestBytes(spec, hostHeader, options.keepAlive));
        } catch {
          errors += 1;
          connection?.destroy();
          connection = undefined;
          break;
        }
        requests += 1;
        if (count < MAX_SAMPLES) samples[count++] = performance.now() - due;
        if (previous.status < 200 || previous.status > 299) non2xx += 1;
        if (!options.keepAlive || previous.headers.get('connection') === 'close') {
          connection.destroy();
          connection = undefined;
        }
      }
    }
    connection?.destroy();
  };

  await Promise.all(Array.from({ length: options.connections }, client));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    requests,
    requestsPerSecond: requests / elapsedSeconds,
    errors,
    non2xx,
    ...summarizeLatencies(samples, count),
  };
}
