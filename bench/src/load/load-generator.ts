import type { Scenario } from './scenario.js';

export interface LoadOptions {
  readonly port: number;
  /** Always a loopback address the benchmark started a server on. */
  readonly host: '127.0.0.1';
  readonly scenario: Scenario;
  /** Simulated clients, each running the scenario in a closed loop. */
  readonly connections: number;
  /** Whole seconds: wrk takes no finer duration. */
  readonly seconds: number;
  /** Ask for keep-alive (a connection is reused until the server closes it) or send `Connection: close`. */
  readonly keepAlive: boolean;
}

/**
 * What one run measured. Latencies in milliseconds, from the write of a request on a connected
 * socket to the end of its answer: wrk cannot time a TCP connect, so neither generator does.
 */
export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Connection failures, responses cut short and timeouts. */
  readonly errors: number;
  /** Complete responses with a status ≥ 400 (what wrk counts; every generator counts the same). */
  readonly httpErrors: number;
}

/**
 * A closed-loop HTTP load generator: `connections` clients, each sending its next request as soon
 * as the previous one is answered, for `seconds`. Two implementations: wrk (preferred: a C program
 * that the servers, not the generator, saturate) and a built-in one on Node sockets (the fallback
 * where wrk is not installed, itself the bottleneck at a few thousand requests/s).
 */
export interface LoadGenerator {
  /** For the report, e.g. "wrk 4.1.0, 1 thread". */
  readonly name: string;
  run(options: LoadOptions): Promise<LoadResult>;
}
