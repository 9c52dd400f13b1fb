import net from 'node:net';

/** One request as the load generator sends it: bytes on the wire, nothing added by a client library. */
export interface RequestSpec {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A response as read off the socket: enough to check it and to feed the next step of a scenario. */
export interface RawResponse {
  readonly status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  readonly headers: ReadonlyMap<string, string>;
  /** Header lines as sent, names in their original case. */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Serialises `spec` for `host:port`, asking for keep-alive or for `Connection: close`. */
export function requestBytes(spec: RequestSpec, hostHeader: string, keepAlive: boolean): Buffer {
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `Host: ${hostHeader}`];
  for (const [name, value] of Object.entries(spec.headers)) lines.push(`${name}: ${value}`);
  if (spec.method === 'PUT' || spec.method === 'POST') lines.push('Content-Length: 0');
  lines.push(`Connection: ${keepAlive ? 'keep-alive' : 'close'}`);
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n');
}

/**
 * One connection that sends a request at a time and reads exactly one response, framed by
 * `Content-Length` (every server under test sends it). Written against `node:net` instead of a
 * client library so that the client's own cost stays small and known, and so that a server that
 * closes after each answer (IMDS sends `Connection: close`) is measured correctly: autocannon 8
 * keeps writing into a connection the server is closing and then attributes later responses to
 * earlier requests, which reported p50 = 610 ms for a server answering in microseconds.
 */
export class RawConnection {
  private readonly socket: net.Socket;
  private pending: Buffer[] = [];
  private waiter:
    { resolve: (response: RawResponse) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.tryComplete();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      this.closed = true;
      this.fail(new Error('connection closed before a complete response'));
    });
  }

  static open(port: number, host: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  exchange(bytes: Buffer): Promise<RawResponse> {
    if (this.closed) return Promise.reject(this.failure ?? new Error('connection is closed'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  private tryComplete(): void {
    if (!this.waiter) return;
    const data = Buffer.concat(this.pending);
    this.pending = [data];
    const headEnd = data.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(lines[0]?.split(' ')[1]);
    const headers = new Map<string, string>();
    const rawHeaders: Array<readonly [string, string]> = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      rawHeaders.push([name, value]);
      headers.set(name.toLowerCase(), value);
    }
    const length = Number(headers.get('content-length') ?? 0);
    const bodyStart = headEnd + HEAD_END.length;
    if (data.length < bodyStart + length) return;
    this.pending = data.length > bodyStart + length ? [data.subarray(bodyStart + length)] : [];
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter.resolve({
      status,
      headers,
      rawHeaders,
      body: data.subarray(bodyStart, bodyStart + length),
    });
  }
}
