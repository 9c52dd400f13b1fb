import type { Context, Middleware } from 'koa';
import type { Clock, Logger, CredentialBroker } from '@guise/core';
import {
  allowMethods,
  alwaysSet,
  CredentialUnavailableError,
  dialectMiddleware,
  errorBoundary,
  pathSegments,
  queryParams,
  rejectForwarded,
  requireHeader,
  routeTable,
} from '@guise/core';
import { serveIdentity } from '../service-accounts/identity-endpoint.js';
import { serveToken } from '../service-accounts/token-endpoint.js';
import type { GceServiceAccount } from './gce-options.js';
import type { MetadataStore } from './metadata-store.js';
import { resolve } from './metadata-tree.js';
import { parseQuery } from './query.js';
import type { MetadataQuery } from './query.js';
import type { Answer, Representation } from './represent.js';
import { represent } from './represent.js';
import {
  etagOf,
  GCE_HEADERS,
  sendBadRequest,
  sendDirectoryRedirect,
  sendForbidden,
  sendNotFound,
  sendOk,
  sendPlainError,
  TEXT,
} from './responses.js';
import type { HangingGets } from './wait-for-change.js';
import { waitForChange } from './wait-for-change.js';

export interface GceRouterDeps {
  readonly store: MetadataStore;
  readonly account: GceServiceAccount;
  readonly broker: CredentialBroker;
  readonly clock: Clock;
  readonly hanging: HangingGets;
  readonly logger: Logger;
}

const FLAVOR = 'Metadata-Flavor';
const V1 = '/computeMetadata/v1';

/**
 * The GCE dialect as one Koa middleware. It owns `/computeMetadata…` always, and `/` and the
 * legacy `/0.1/…` only when the request says `Metadata-Flavor: Google` — without it, `/` belongs
 * to AWS's IMDS on the shared listener (core's MetadataProvider contract). For what it owns:
 * 1. GCE's headers on every response, errors and redirects included (§1.1);
 * 2. an error boundary: no credential fit to serve → 503, which gaxios and google-auth retry;
 * 3. `X-Forwarded-For` → 403 (§1.1);
 * 4. no `Metadata-Flavor: Google` → 403 with Google's HTML page (§1.1);
 * 5. GET/HEAD only (else 405); the listings of `/` and `/computeMetadata/`; the v1 tree with its
 *    query rules, token and identity endpoints; the legacy versions and anything else → 404 (§1.5).
 */
export function gceMiddleware(deps: GceRouterDeps): Middleware {
  return dialectMiddleware(owns, [
    alwaysSet(GCE_HEADERS),
    errorBoundary(deps.logger, renderError),
    rejectForwarded(sendForbidden),
    requireHeader(FLAVOR, 'Google', sendForbidden),
    allowMethods(['GET', 'HEAD'], sendMethodNotAllowed),
    routeTable([
      [/^\/$/, (ctx) => sendListing(ctx, '0.1/\ncomputeMetadata/\n')],
      [/^\/computeMetadata$/, sendDirectoryRedirect],
      // Google's emulator lists v1beta1, though it was shut down in 2020 and answers 404 (§1.5).
      [/^\/computeMetadata\/$/, (ctx) => sendListing(ctx, 'v1/\nv1beta1/\n')],
      [/^\/computeMetadata\/v1(?:\/.*)?$/, (ctx) => serveTree(ctx, deps)],
    ]),
    // Anything else it owns (`/0.1/…`, `/computeMetadata/v1beta1/…`, typos) is GCE's 404 page.
    sendNotFound,
  ]);
}

function sendMethodNotAllowed(ctx: Context): void {
  ctx.set('Allow', 'GET, HEAD');
  sendPlainError(ctx, 405, 'method not allowed');
}

function owns(ctx: Context): boolean {
  const { path } = ctx;
  if (path === '/computeMetadata' || path.startsWith('/computeMetadata/')) return true;
  const flavored = ctx.get(FLAVOR).toLowerCase() === 'google';
  return flavored && (path === '/' || path === '/0.1' || path.startsWith('/0.1/'));
}

function sendListing(ctx: Context, listing: string): void {
  sendOk(ctx, TEXT, listing, etagOf(listing));
}

function serveTree(ctx: Context, deps: GceRouterDeps): Promise<void> | void {
  const query = parseQuery(queryParams(ctx));
  if (!query) return sendBadRequest(ctx);
  const rest = ctx.path.slice(V1.length);
  // `…/v1` is the root directory without its slash; a doubled slash is tolerated (§1.2).
  const trailingSlash = rest.endsWith('/');
  const segments = pathSegments(rest);
  const render = () => represent(resolve(deps.store.current(), segments), trailingSlash, query);
  const answer = render();
  if (answer.kind === 'ok' && query.waitForChange)
    return serveChange(ctx, answer, query, render, deps);
  return send(ctx, answer, deps);
}

async function serveChange(
  ctx: Context,
  answer: Representation,
  query: MetadataQuery,
  render: () => Answer,
  deps: GceRouterDeps,
): Promise<void> {
  const waited = await waitForChange(ctx, answer, query, render, deps);
  if (waited === 'gone') return;
  if (waited === 'busy')
    return sendPlainError(ctx, 503, 'too many pending wait_for_change requests');
  return send(ctx, waited, deps);
}

function send(ctx: Context, answer: Answer, deps: GceRouterDeps): Promise<void> | void {
  switch (answer.kind) {
    case 'ok':
      return sendOk(ctx, answer.contentType, answer.body, answer.etag);
    case 'redirect':
      return sendDirectoryRedirect(ctx);
    case 'bad-request':
      return sendBadRequest(ctx);
    case 'not-found':
      return sendNotFound(ctx);
    case 'endpoint': {
      const { account, broker, clock } = deps;
      if (answer.name === 'token') return serveToken(ctx, account, broker, clock);
      if (!account.identity) return sendNotFound(ctx);
      return serveIdentity(ctx, account.identity, broker);
    }
  }
}

/**
 * No credential fit to serve (Vault down, nothing cached still valid) → 503: GCE answers 503
 * during maintenance and tells clients to retry (§1.1), and gaxios retries 5xx. Anything else
 * is a bug here and gets a 500; neither leaks details.
 */
function renderError(ctx: Context, error: unknown): void {
  if (error instanceof CredentialUnavailableError) {
    return sendPlainError(ctx, 503, 'credentials are temporarily unavailable');
  }
  ctx.status = 500;
  ctx.set('Content-Type', 'text/plain; charset=utf-8');
  ctx.body = 'internal error\n';
}
