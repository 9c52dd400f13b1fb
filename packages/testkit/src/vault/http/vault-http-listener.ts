import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../clock.js';
import { ORIGINAL_METHOD_HEADER } from '../../net/list-method-shim.js';
import { encodeGoJson } from '../../util/go-json.js';
import type { HttpAnswer, VaultCore } from '../core.js';
import { VaultError } from '../errors.js';
import type { FaultSwitches } from '../faults.js';
import type { ServerIdentity } from '../services.js';
import { answerHealth, type NodeState, sealStatus } from '../sys/health.js';
import { parseVaultRequest } from './parse-request.js';
import { secretValues } from './secret-values.js';

/** One request as the fake saw it, for counting Vault calls in tests. */
export interface RequestRecord {
  readonly method: string;
  /** The URL path, without the query string (e.g. `/v1/auth/approle/login`). */
  readonly path: string;
  readonly status: number;
}

export interface VaultHttpOptions {
  readonly core: VaultCore;
  readonly faults: FaultSwitches;
  readonly identity: ServerIdentity;
  readonly now: Clock;
  readonly requests: RequestRecord[];
  /** Where every secret an answer carries is kept (see `FakeVault.issuedSecrets`). */
  readonly issuedSecrets: string[];
  readonly maxRequestBytes: number;
}

class BodyTooLarge extends Error {}

/**
 * The HTTP face of the fake Vault: `/v1/` routing, the fault switches (delay, standby redirect,
 * performance standby, injected failures, seal, unreachable), sys/health and sys/seal-status (answered even when sealed), and
 * Vault's response headers (`Content-Type: application/json` exactly, `Cache-Control: no-store`).
 */
export function vaultHttpListener(options: VaultHttpOptions): RequestListener {
  const { faults } = options;
  const inFlight = new WeakMap<object, Promise<void>>();

  return (request: IncomingMessage, response: ServerResponse): void => {
    if (faults.unreachable) {
      request.socket.destroy();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://fake-vault');
    const original = request.headers[ORIGINAL_METHOD_HEADER];
    const method = typeof original === 'string' ? original : (request.method ?? 'GET');
    // Go's server sends Content-Length for bodies this small (never chunked); so does the fake.
    const send = (answer: HttpAnswer, headers: Record<string, string> = {}): void => {
      options.requests.push({ method, path: url.pathname, status: answer.status });
      if (answer.status === 200 && answer.body !== undefined)
        options.issuedSecrets.push(...secretValues(answer.body));
      const framing =
        answer.body === undefined
          ? answer.status === 204
            ? { 'Content-Type': 'application/json' }
            : { 'Content-Length': '0' }
          : {
              'Content-Type': 'application/json',
              'Content-Length': String(Buffer.byteLength(answer.body)),
            };
      response.writeHead(answer.status, { ...framing, 'Cache-Control': 'no-store', ...headers });
      response.end(answer.body);
    };
    const sendError = (error: VaultError): void =>
      send({ status: error.status, body: encodeGoJson({ errors: error.errors }) });

    // Like Go's server, one request at a time per connection: a pipelined request is handled
    // only once the one before it has been answered.
    const previous = inFlight.get(request.socket) ?? Promise.resolve();
    const current = previous
      .then(() => readBody(request, options.maxRequestBytes))
      .then(async (body) => {
        if (faults.delayMs > 0) await sleep(faults.delayMs);
        send(...answer(url, method, request, body));
      })
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge)
          sendError(new VaultError(413, ['http: request body too large']));
        else if (error instanceof VaultError) sendError(error);
        else {
          sendError(new VaultError(500, ['internal error']));
          process.emitWarning(`fake Vault: ${String(error)}`);
        }
      });
    inFlight.set(request.socket, current);
  };

  function answer(
    url: URL,
    method: string,
    request: IncomingMessage,
    body: string,
  ): [HttpAnswer, Record<string, string>?] {
    if (!url.pathname.startsWith('/v1/'))
      return [
        { status: 404, body: '404 page not found\n' },
        { 'Content-Type': 'text/plain; charset=utf-8' },
      ];
    const path = decodePath(url.pathname.slice('/v1/'.length));
    const node: NodeState = {
      sealed: faults.sealed,
      standby: faults.standbyRedirectTo !== undefined,
      performanceStandby: faults.performanceStandby,
    };

    if (path === 'sys/health' && (method === 'GET' || method === 'HEAD')) {
      const health = answerHealth(url.searchParams, node, options.identity, options.now());
      return [{ status: health.status, body: encodeGoJson(health.body) }];
    }
    const failure = faults.takeFailure();
    if (failure) throw new VaultError(failure.status, [failure.message]);
    if (faults.standbyRedirectTo !== undefined) {
      // respondStandby: 307 to the active node's address with the same path and query, no body.
      const location = `${faults.standbyRedirectTo.replace(/\/$/, '')}${url.pathname}${url.search}`;
      return [{ status: 307 }, { Location: location }];
    }
    if (path === 'sys/seal-status' && method === 'GET') {
      return [{ status: 200, body: encodeGoJson(sealStatus(node, options.identity)) }];
    }
    if (faults.sealed) throw new VaultError(503, ['Vault is sealed']);
    return [
      options.core.handle(
        parseVaultRequest({
          method,
          path,
          query: url.searchParams,
          headers: request.headers,
          body,
          remoteAddress: request.socket.remoteAddress ?? '',
        }),
      ),
    ];
  }
}

function decodePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new VaultError(400, ['invalid URL escape']);
  }
}

/** The whole body as text; past `limit` bytes Vault answers 413 (its max request size). */
async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
