import { Duplex, Transform, type TransformCallback } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * Node's HTTP parser (llhttp) knows a fixed set of methods and answers anything else, including
 * Vault's `LIST`, with 400 before any handler runs. Vault clients do send `LIST` (node-vault's
 * `list()`, hvac's `list_*`), so connections pass through this shim: it follows HTTP/1.1 message
 * framing (Content-Length and chunked bodies) and turns the request line `LIST /path HTTP/1.1`
 * into `GET`, adding the header below so the server still sees the verb the client sent.
 */
export const ORIGINAL_METHOD_HEADER = 'x-testkit-original-method';

/** Heads longer than this are passed on untouched, for the HTTP parser to reject. */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type FramingState =
  | { readonly kind: 'head' }
  | { readonly kind: 'body'; remaining: number; readonly then: 'head' | 'chunk-size' }
  | { readonly kind: 'chunk-size' }
  | { readonly kind: 'trailer' }
  | { readonly kind: 'raw' };

class ListMethodRewriter extends Transform {
  private pending = Buffer.alloc(0);
  private state: FramingState = { kind: 'head' };

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.step()) {
      // keep consuming complete pieces
    }
    done();
  }

  /** Handles one framing piece; false when more bytes are needed. */
  private step(): boolean {
    const state = this.state;
    switch (state.kind) {
      case 'raw':
        return this.emitBytes(this.pending.length) > 0;
      case 'head': {
        const end = this.pending.indexOf(HEAD_END);
        if (end < 0) {
          if (this.pending.length > MAX_HEAD_BYTES) this.state = { kind: 'raw' };
          return this.state.kind === 'raw';
        }
        const head = this.pending.subarray(0, end + HEAD_END.length).toString('latin1');
        this.pending = this.pending.subarray(end + HEAD_END.length);
        this.push(Buffer.from(rewriteHead(head), 'latin1'));
        this.state = framingAfter(head);
        return true;
      }
      case 'body': {
        const taken = this.emitBytes(Math.min(state.remaining, this.pending.length));
        state.remaining -= taken;
        if (state.remaining === 0)
          this.state = state.then === 'head' ? { kind: 'head' } : { kind: 'chunk-size' };
        return taken > 0 || state.remaining === 0;
      }
      case 'chunk-size': {
        const end = this.pending.indexOf(CRLF);
        if (end < 0) return false;
        const size = Number.parseInt(
          this.pending.subarray(0, end).toString('latin1').split(';')[0] ?? '',
          16,
        );
        this.emitBytes(end + CRLF.length);
        if (Number.isNaN(size)) this.state = { kind: 'raw' };
        else
          this.state =
            size === 0
              ? { kind: 'trailer' }
              : { kind: 'body', remaining: size + CRLF.length, then: 'chunk-size' };
        return true;
      }
      case 'trailer': {
        const end = this.pending.indexOf(CRLF);
        if (end < 0) return false;
        this.emitBytes(end + CRLF.length);
        if (end === 0) this.state = { kind: 'head' };
        return true;
      }
    }
  }

  private emitBytes(count: number): number {
    if (count > 0) {
      this.push(this.pending.subarray(0, count));
      this.pending = this.pending.subarray(count);
    }
    return count;
  }
}

function rewriteHead(head: string): string {
  if (!head.startsWith('LIST ')) return head;
  const lineEnd = head.indexOf('\r\n');
  return `GET ${head.slice('LIST '.length, lineEnd)}\r\n${ORIGINAL_METHOD_HEADER}: LIST${head.slice(lineEnd)}`;
}

function framingAfter(head: string): FramingState {
  const headers = head.toLowerCase();
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(headers)) return { kind: 'chunk-size' };
  const length = Number(/\r\ncontent-length:\s*(\d+)/.exec(headers)?.[1] ?? 0);
  return length > 0 ? { kind: 'body', remaining: length, then: 'head' } : { kind: 'head' };
}

/**
 * A connection as the HTTP server sees it: reads come from the socket through the rewriter,
 * writes go straight to the socket. Carries the socket's addresses for request logging.
 */
export class ListMethodConnection extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  private readonly rewriter = new ListMethodRewriter();

  constructor(private readonly socket: Socket) {
    super();
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    socket.pipe(this.rewriter);
    this.rewriter.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    this.rewriter.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(
    chunk: Buffer,
    encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.socket.write(chunk, encoding, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.socket.end(() => done());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.socket.destroy(error ?? undefined);
    done(error);
  }
}
