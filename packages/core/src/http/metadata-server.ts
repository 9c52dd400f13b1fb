import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { AnswerCache } from './answer-cache.js';
import { hostAndPort } from './listen-address.js';
import { explainListenFailure } from './listen-error.js';
import { limitRequestBodies } from './request-body-limit.js';

/** Limits that keep a flood of slow or oversized requests from exhausting the agent. */
export interface ServerLimits {
  /** Largest request head accepted (Node answers 431 beyond it). Default 16 KiB. */
  readonly maxHeaderBytes: number;
  /**
   * Largest request body announced (413 beyond it). Bodies are never read, and a request with one
   * has its connection closed once answered (see `limitRequestBodies`). Default 64 KiB.
   */
  readonly maxBodyBytes: number;
  /** Time allowed to receive the request head (slowloris). Default 10 s. */
  readonly headersTimeoutMs: number;
  /**
   * Time allowed to receive the whole request, head and body. It does not cut a long poll (GCE's
   * `wait_for_change`): a request without a body is received once its head is. Default 30 s.
   */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive connections are closed after this. Default 5 s. */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

export interface RunningServer {
  /** `http://host:port` as clients should use it (IPv6 in brackets). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Default: DEFAULT_SERVER_LIMITS. */
  readonly limits?: ServerLimits;
  /** The cache `app` records replayable answers in (see createMetadataApp); replayed before Koa. */
  readonly answers?: AnswerCache;
}

/**
 * Listens with `app` on `host:port` (port 0 = any free port). `host` is required: Node would take
 * a missing one as every interface, which is never what a metadata endpoint wants by accident.
 */
export async function listen(
  app: Koa,
  host: string,
  port: number,
  { limits = DEFAULT_SERVER_LIMITS, answers }: ListenOptions = {},
): Promise<RunningServer> {
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(
      `listen: host must be an address such as 127.0.0.1, got ${JSON.stringify(host)}`,
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`listen: port must be 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const callback = app.callback();
  const handler = limitRequestBodies(
    answers ? (req, res) => answers.replay(req, res) || callback(req, res) : callback,
    limits.maxBodyBytes,
  );
  const server = http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      // Node enforces the two timeouts below only when it sweeps its connections, every 30 s by
      // default: a slow client would hold a connection up to 30 s past `headersTimeoutMs`.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    handler,
  );
  // `Expect: 100-continue` asks whether to send the body. Node says yes by default, before any
  // limit is checked; as no dialect reads a body, the answer here is the final response alone
  // (413 included), and the client never sends what would only be drained.
  server.on('checkContinue', handler);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Node puts only the first 1,000 header lines into `req.headers` (its default maxHeadersCount),
  // so an `X-Forwarded-For` appended after 1,000 others would pass the dialects' refusal unseen.
  // No count limit, then: maxHeaderBytes bounds what a request head may hold.
  server.maxHeadersCount = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => reject(explainListenFailure(error, host, port));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostAndPort(host, bound)}`,
    host,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
