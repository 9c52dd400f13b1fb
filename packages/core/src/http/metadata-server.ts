import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { explainListenFailure } from './listen-error.js';

/** Limits that keep a flood of slow or oversized requests from exhausting the agent. */
export interface ServerLimits {
  /** Largest request head accepted (Node answers 431 beyond it). Default 16 KiB. */
  readonly maxHeaderBytes: number;
  /** Time allowed to receive the request head (slowloris). Default 10 s. */
  readonly headersTimeoutMs: number;
  /** Time allowed for the whole request; long enough for long-polling dialects. Default 330 s. */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive connections are closed after this. Default 5 s. */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 330_000,
  keepAliveTimeoutMs: 5_000,
};

export interface RunningServer {
  /** `http://host:port` as clients should use it (IPv6 in brackets). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens with `app` on `host:port` (port 0 = any free port). */
export async function listen(
  app: Koa,
  host: string,
  port: number,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): Promise<RunningServer> {
  const server = http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      // Node enforces the two timeouts below only when it sweeps its connections, every 30 s by
      // default: a slow client would hold a connection up to 30 s past `headersTimeoutMs`.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    app.callback(),
  );
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => reject(explainListenFailure(error, host, port));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}`,
    host,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
