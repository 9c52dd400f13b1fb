import type { LeaseView } from './leases/lease-store.js';
import type { MountEntry } from './routing/mount-table.js';
import type { TokenEntry } from './tokens/token-entry.js';

/**
 * Vault's logical operations. POST/PUT become `create` or `update` (by the route's existence
 * check, as sdk/framework does), GET becomes `read` or `list`.
 */
export type Operation = 'read' | 'list' | 'create' | 'update' | 'delete' | 'patch';

/** What a route handler sees of an HTTP request, after Vault's parsing (http/logical.go). */
export interface VaultRequest {
  /** The `request_id` this request answers with. */
  readonly id: string;
  readonly operation: Operation;
  /** The path under `/v1/`, no leading slash; LIST paths end with `/`. */
  readonly path: string;
  /** GET: the query parameters; POST/PUT/PATCH: the JSON (or form) body. */
  readonly data: Readonly<Record<string, unknown>>;
  /** `X-Vault-Token` or `Authorization: Bearer`, '' when absent. */
  readonly clientToken: string;
  /** `X-Vault-Wrap-TTL` in seconds; 0 when the response is not to be wrapped. */
  readonly wrapTtlSeconds: number;
  readonly remoteAddress: string;
}

/** The context a route handler runs in. */
export interface HandlerContext {
  readonly request: VaultRequest;
  /** Values captured by the route pattern's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The calling token; undefined on unauthenticated routes called without a valid token. */
  readonly token: TokenEntry | undefined;
  readonly mount: MountEntry;
}

/**
 * A leased secret a handler returns (Vault's `logical.Secret`). The core registers the lease under
 * the calling token, so that it dies with it (reference §2.4).
 */
export interface SecretLease {
  /** 0 = the mount's default lease TTL. */
  readonly ttlSeconds: number;
  /** 0 = the mount's max lease TTL. */
  readonly maxTtlSeconds: number;
  readonly renewable: boolean;
  /** The backend's renew callback: the TTL and max TTL to apply to a renewal. */
  readonly renew?: () => { readonly ttlSeconds: number; readonly maxTtlSeconds: number };
  /** The backend's revoke callback (e.g. delete the IAM user's keys). */
  readonly revoke?: () => void;
}

/** A token a handler issued or renewed, rendered as the response's `auth` block. */
export interface IssuedAuth {
  readonly token: TokenEntry;
  readonly ttlSeconds: number;
}

/** What a handler answers; `undefined` from a handler means 204 No Content. */
export interface LogicalResponse {
  readonly data?: Readonly<Record<string, unknown>> | null;
  readonly auth?: IssuedAuth;
  readonly secret?: SecretLease;
  /** An existing lease to report in the envelope (a renewal's answer). */
  readonly lease?: LeaseView;
  readonly warnings?: readonly string[];
  /** `logical.RespondWithStatusCode`: the envelope, but with this status (e.g. KV's 404 with data). */
  readonly statusCode?: number;
  /** A body to send verbatim as `application/json` (an unwrapped response). */
  readonly rawBody?: string;
}

export type Handler = (context: HandlerContext) => LogicalResponse | undefined;

/**
 * A LIST answer (`logical.ListResponse`): the keys, sorted. An empty listing becomes Vault's 404
 * `{"errors":[]}` in the core, for every backend alike (http/logical.go).
 */
export function listResponse(keys: Iterable<string>): LogicalResponse {
  return { data: { keys: [...keys].sort() } };
}
