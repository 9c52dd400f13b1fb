import type { Context, Middleware } from 'koa';
import type { Logger } from '@guise/core';
import {
  CredentialUnavailableError,
  alwaysSet,
  cacheAnswer,
  dialectMiddleware,
  errorBoundary,
  firstPathSegment,
  pathSegments,
  rejectForwarded,
} from '@guise/core';
import type { ImdsTokenMode } from './imds-options.js';
import type { ImdsTokenStore } from './imds-token-store.js';
import type { LeafValue, MetadataDirectory, MetadataNode } from './metadata-tree.js';
import { renderListing, resolveNode } from './metadata-tree.js';
import {
  IMDS_HEADERS,
  TOKEN_TTL_HEADER,
  sendEmpty,
  sendMethodNotAllowed,
  sendNotFound,
  sendValue,
} from './responses.js';
import { TOKEN_REQUEST_HEADER, handleTokenRequest, isTokenPath } from './token-routes.js';
import { isVersionShaped } from './versions.js';

export interface ImdsRouterDeps {
  readonly tree: MetadataDirectory;
  readonly tokens: ImdsTokenStore;
  readonly mode: ImdsTokenMode;
  readonly logger: Logger;
}

/**
 * The IMDS dialect as one Koa middleware. It owns `/` and every version-shaped first segment
 * (`/latest`, `/2009-04-04`, …) and passes anything else on, so GCE and Azure dialects can share
 * the listener. For what it owns, in order:
 * 1. `Server: EC2ws` and `Connection: close` on every response, errors included (§1.7);
 * 2. an error boundary: a broker that cannot produce credentials → 503, anything else → 500,
 *    both with empty bodies (never Koa's error page);
 * 3. `X-Forwarded-For` → 403 with an empty body, on PUT as documented and on GET as EC2 does
 *    (kube2iam PR #279, §1.2);
 * 4. `<version>/api/token` → the token rules (`token-routes.ts`);
 * 5. methods other than GET and HEAD → 405 (EC2 documents only GET/HEAD for metadata, §1.3);
 * 6. the IMDSv2 token check → 401 with an empty body (§1.3);
 * 7. the tree: a directory answers its listing, a leaf its value, anything else the 404 page.
 */
export function imdsMiddleware(deps: ImdsRouterDeps): Middleware {
  return dialectMiddleware(ownsPath, [
    alwaysSet(IMDS_HEADERS),
    errorBoundary(deps.logger, renderError),
    rejectForwarded((ctx) => sendEmpty(ctx, 403)),
    (ctx) => dispatch(ctx, deps),
  ]);
}

/**
 * Whether a path is IMDS's: `/`, or a first segment shaped like a version. Other paths
 * (`/computeMetadata`, `/metadata`) are left to the other dialects sharing the listener. Segments
 * are those of core's `pathSegments`, so trailing and doubled slashes resolve like single ones —
 * `ec2-metadata` asks for `latest//meta-data/ramdisk-id` and botocore for
 * `placement/availability-zone/` (§1.8). A directory answers with or without its trailing slash;
 * being tolerant costs nothing, while a redirect would point clients at 169.254.169.254 even when
 * they reached us on loopback. `.` and `..` are names like any other (the tree is data, not a file
 * system), so they get 404.
 */
function ownsPath(ctx: Context): boolean {
  const first = firstPathSegment(ctx.path);
  return first === undefined || isVersionShaped(first);
}

function dispatch(ctx: Context, deps: ImdsRouterDeps): Promise<void> | void {
  const segments = pathSegments(ctx.path);
  const [version = ''] = segments;
  if (isTokenPath(segments)) return handleTokenRequest(ctx, version, deps.tokens, deps.mode);
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
    return sendMethodNotAllowed(ctx, ['GET', 'HEAD']);
  const answerHoldsUntil = authorize(ctx, deps);
  if (answerHoldsUntil === undefined) return sendEmpty(ctx, 401);
  return serveNode(ctx, resolveNode(deps.tree, segments), answerHoldsUntil);
}

/**
 * `required`: a valid, unexpired token or 401. `optional`: no token is IMDSv1 and fine, but a token
 * that is sent must be valid (EC2's error table: "The GET request uses an invalid token" → 401).
 * `disabled`: the header is ignored, as by an IMDS that predates tokens. A valid token's
 * remaining lifetime is echoed in `X-Aws-Ec2-Metadata-Token-Ttl-Seconds`; whether EC2 echoes the
 * remaining or the original TTL is unconfirmed (§6), the remaining one is what a client can use.
 * Returns undefined to refuse, else until when the answer holds as written (the echoed TTL changes
 * every second; without it, nothing here does).
 */
function authorize(ctx: Context, { tokens, mode }: ImdsRouterDeps): number | undefined {
  if (mode === 'disabled') return Infinity;
  const token = ctx.get(TOKEN_REQUEST_HEADER);
  if (token === '') return mode === 'optional' ? Infinity : undefined;
  const validity = tokens.validity(token);
  if (validity === undefined) return undefined;
  ctx.response.set(TOKEN_TTL_HEADER, String(validity.remainingSeconds));
  return validity.until;
}

/**
 * A node's answer, replayable (core's AnswerCache) until `holdsUntil`: the tree is fixed, and the
 * credential leaf answers what the broker hands out, which clears the cache when it changes.
 */
function serveNode(
  ctx: Context,
  node: MetadataNode | undefined,
  holdsUntil: number,
): Promise<void> | void {
  if (!node) return sendNotFound(ctx);
  if (node.kind === 'directory') return sendReplayable(ctx, renderListing(node), holdsUntil);
  const { value, contentType } = node;
  if (typeof value !== 'function') return sendReplayable(ctx, value, holdsUntil, contentType);
  return value().then((computed) => sendReplayable(ctx, computed, holdsUntil, contentType));
}

function sendReplayable(
  ctx: Context,
  value: LeafValue,
  holdsUntil: number,
  contentType?: string,
): void {
  sendValue(ctx, value, contentType);
  cacheAnswer(ctx, holdsUntil);
}

/**
 * No credential fit to serve (Vault down and nothing cached still valid) → 503, empty body. Both
 * SDKs treat any non-2xx on the credentials GET as a failed attempt: botocore retries it up to
 * `metadata_service_num_attempts`, the JS SDK up to `maxRetries` and then extends the credentials
 * it already holds (static stability, §3.1). EC2's alternative, a 200 carrying `{Code, Message}`,
 * is never retried by botocore (§1.10), so it would turn a passing outage into a hard failure.
 */
function renderError(ctx: Context, error: unknown): void {
  sendEmpty(ctx, error instanceof CredentialUnavailableError ? 503 : 500);
}
