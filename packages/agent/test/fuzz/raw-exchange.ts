import net from 'node:net';

export interface RawOutcome {
  /** Status of the final response (after any `100 Continue`), or undefined when none came. */
  readonly status: number | undefined;
  readonly ms: number;
  /** The server neither answered nor closed within the time allowed. */
  readonly timedOut: boolean;
}

/**
 * Writes `chunks` to a fresh loopback connection (pausing `gapMs` between them, for slow clients)
 * and waits until the server closes it or `timeoutMs` passes. Raw bytes, because the inputs are
 * ones no HTTP client library would send.
 */
export function rawExchange(
  port: number,
  chunks: readonly Buffer[],
  timeoutMs: number,
  gapMs = 0,
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const head = Buffer.concat(received).toString('latin1');
      const final = [...head.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].find(([, s]) => s?.[0] !== '1');
      resolve({
        status: final ? Number(final[1]) : undefined,
        ms: performance.now() - started,
        timedOut,
      });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}
