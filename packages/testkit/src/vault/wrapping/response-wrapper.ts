import type { Clock } from '../../clock.js';
import { encodeGoJson, GoStruct } from '../../util/go-json.js';
import { formatGoTime } from '../../util/go-time.js';
import { badRequest, invalidWrappingToken } from '../errors.js';
import { envelope } from '../http/envelope.js';
import type { VaultRequest } from '../logical.js';
import type { MountEntry } from '../routing/mount-table.js';
import type { TokenEntry } from '../tokens/token-entry.js';
import type { TokenStore } from '../tokens/token-store.js';

/** Paths whose wrapping token Vault validates before anything else (http/logical.go). */
export const WRAPPING_TOKEN_PATHS: ReadonlySet<string> = new Set([
  'sys/wrapping/lookup',
  'sys/wrapping/unwrap',
  'sys/wrapping/rewrap',
]);

/**
 * Response wrapping (vault/wrapping.go): the response goes into the cubbyhole of a new single-use
 * token with policy `response-wrapping`, TTL and explicit max TTL = the wrap TTL, not renewable.
 */
export class ResponseWrapper {
  constructor(
    private readonly now: Clock,
    private readonly tokens: TokenStore,
    private readonly tokenMount: MountEntry,
  ) {}

  /**
   * Wraps an encoded response. The answer carries only `wrap_info` (request_id "", everything else
   * zero); `wrapped_accessor` is there only when the wrapped response issued a token.
   */
  wrap(request: VaultRequest, responseBody: string, wrappedAccessor: string | undefined): string {
    const creationTimeMs = this.now();
    const ttl = request.wrapTtlSeconds;
    const { auth } = this.tokens.issue({
      mount: this.tokenMount,
      path: request.path,
      policies: ['response-wrapping'],
      noDefaultPolicy: true,
      displayName: '',
      numUses: 1,
      ttlSeconds: ttl,
      explicitMaxTtlSeconds: ttl,
      renewable: false,
      wrappedResponse: {
        body: responseBody,
        creationPath: request.path,
        creationTimeMs,
        creationTtlSeconds: ttl,
      },
    });
    const wrapInfo = new GoStruct([
      ['token', auth.token.id],
      ['accessor', auth.token.accessor],
      ['ttl', ttl],
      ['creation_time', formatGoTime(creationTimeMs)],
      ['creation_path', request.path],
      ...(wrappedAccessor ? [['wrapped_accessor', wrappedAccessor] as const] : []),
    ]);
    return encodeGoJson(envelope({ wrapInfo }));
  }

  /**
   * `ValidateWrappingToken`: the body's `token` wins, else the client token; it must be a live
   * response-wrapping token. Failures are 400s.
   */
  validate(request: VaultRequest): void {
    const candidate = this.candidateToken(request);
    if (!this.find(candidate)) throw invalidWrappingToken();
  }

  /** The live response-wrapping token with this id. */
  find(id: string): TokenEntry | undefined {
    const token = this.tokens.find(id);
    return token?.wrappedResponse ? token : undefined;
  }

  /** The wrapping token a lookup/unwrap request names (body `token`, else the client token). */
  candidateToken(request: VaultRequest): string {
    const bodyToken = request.data['token'];
    if (bodyToken === undefined || bodyToken === null) {
      if (request.clientToken === '')
        throw badRequest('error validating wrapping token: token is empty');
      return request.clientToken;
    }
    if (typeof bodyToken !== 'string') {
      throw badRequest('error validating wrapping token: could not decode token in request body');
    }
    if (bodyToken === '')
      throw badRequest('error validating wrapping token: empty token in request body');
    return bodyToken;
  }
}
