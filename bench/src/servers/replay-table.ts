/** One response captured from guise, replayed byte for byte by the baseline servers. */
export interface CapturedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** guise closed the connection after this answer although the client asked for keep-alive. */
  readonly close: boolean;
  /**
   * Response headers as guise sent them, minus `Date`, `Content-Length`, `Connection` and
   * `Keep-Alive` (every server writes its own).
   */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBase64: string;
}

export interface ReplayEntry {
  readonly status: number;
  /** The headers to send, `Connection: close` among them where guise closes. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export const REPLAY_ENV = 'GUISE_BENCH_REPLAY';
export const PORT_ENV = 'GUISE_BENCH_PORT';

/**
 * The baselines answer "the same bytes" as guise: what guise answered to each request of the
 * scenarios, looked up by method and path, decoded once at start so that a request costs a map
 * lookup and nothing else.
 */
export function loadReplayTable(): (method: string, path: string) => ReplayEntry | undefined {
  const captured = JSON.parse(process.env[REPLAY_ENV] ?? '[]') as CapturedResponse[];
  const table = new Map<string, ReplayEntry>(
    captured.map((c) => [
      `${c.method} ${c.path}`,
      {
        status: c.status,
        headers: c.close ? { ...c.headers, Connection: 'close' } : c.headers,
        body: Buffer.from(c.bodyBase64, 'base64'),
      },
    ]),
  );
  return (method, path) => table.get(`${method} ${path}`);
}

export function benchPort(): number {
  return Number(process.env[PORT_ENV] ?? 0);
}
