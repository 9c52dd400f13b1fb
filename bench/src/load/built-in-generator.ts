import { performance } from 'node:perf_hooks';
import type { RawResponse } from './http-exchange.js';
import { RawConnection, requestBytes } from './http-exchange.js';
import { summarizeLatencies } from './latency-summary.js';
import type { LoadGenerator, LoadOptions, LoadResult } from './load-generator.js';

/** Latencies stored per run; a run longer than this many requests keeps counting but stops sampling. */
const MAX_SAMPLES = 2_000_000;

/**
 * The fallback load generator, on raw sockets in the benchmark's own Node process: it saturates at
 * a few thousand requests/s on a small machine, below what the servers can answer, so its ratios
 * between servers say little.
 */
export const builtInGenerator: LoadGenerator = {
  name: 'built-in (bench/src/load, Node sockets in the benchmark process)',
  run: runLoad,
};

async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const hostHeader = `${options.host}:${options.port}`;
  const requestsBytes = options.scenario.map((spec) =>
    requestBytes(spec, hostHeader, options.keepAlive),
  );
  const samples = new Float64Array(MAX_SAMPLES);
  let count = 0;
  let requests = 0;
  let errors = 0;
  let httpErrors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  const client = async (): Promise<void> => {
    let connection: RawConnection | undefined;
    while (performance.now() < deadline) {
      for (const bytes of requestsBytes) {
        let response: RawResponse;
        let written: number;
        try {
          if (!connection || connection.closed)
            connection = await RawConnection.open(options.port, options.host);
          written = performance.now();
          response = await connection.exchange(bytes);
        } catch {
          errors += 1;
          connection?.destroy();
          connection = undefined;
          break;
        }
        requests += 1;
        if (count < MAX_SAMPLES) samples[count++] = performance.now() - written;
        if (response.status >= 400) httpErrors += 1;
        if (!options.keepAlive || response.headers.get('connection') === 'close') {
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
    httpErrors,
    ...summarizeLatencies(samples, count),
  };
}
