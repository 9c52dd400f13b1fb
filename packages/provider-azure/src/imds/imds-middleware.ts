import type { Context, Middleware, Next } from 'koa';
import { azurePath } from '../http/azure-path.js';
import type { Clock, InstanceFacts, Logger } from '@guise/core';
import {
  allowMethods,
  alwaysSet,
  dialectMiddleware,
  errorBoundary,
  queryParams,
  rejectForwarded,
  requireHeader,
  routeTable,
} from '@guise/core';
import { tokenFailure } from '../identity/identity-errors.js';
import type { IdentityTokens } from '../identity/identity-tokens.js';
import {
  API_VERSIONS,
  IDENTITY_SINCE,
  INSTANCE_SINCE,
  isAtLeast,
  isSupportedVersion,
} from './api-versions.js';
import type { AzureImdsOptions } from './azure-imds-options.js';
import { identityTokenEndpoint } from './identity-endpoint.js';
import type { ImdsArea } from './imds-responses.js';
import {
  IMDS_HEADERS,
  METADATA_HEADER_MISSING,
  sendBadRequest,
  sendBadVersion,
  sendJson,
  sendMethodNotAllowed,
  sendNotFound,
} from './imds-responses.js';
import { INSTANCE_PATH, instanceEndpoint } from './instance-endpoint.js';
import { Throttle } from './throttle.js';

export interface ImdsMiddlewareDeps {
  readonly options: AzureImdsOptions;
  readonly tokens: IdentityTokens;
  readonly facts: InstanceFacts;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** `/metadata` and below, in any case ("the '/metadata' portion is case-insensitive", §0.10). */
const OWNED = /^\/+metadata(?:\/|$)/i;
const IDENTITY = /^\/+metadata\/+identity(?:\/|$)/i;

const areaOf = (ctx: Context): ImdsArea => (IDENTITY.test(ctx.path) ? 'identity' : 'instance');

/**
 * The Azure IMDS dialect as one Koa middleware. It owns `/metadata…` and passes anything else on,
 * so AWS and GCE dialects can share 169.254.169.254. For what it owns, in order (§1.1–§1.3):
 * 1. `Server: Microsoft-IIS/10.0` on every response;
 * 2. an error boundary: a token that cannot be had → 500 (retried by every client, §0.8), a
 *    resource Entra refused → 400 `invalid_resource` (§1.6);
 * 3. `X-Forwarded-For` → 400, then a missing `Metadata: true` → 400 with the exact bodies; the
 *    header-less probe of DefaultAzureCredential is answered here, before anything slow (§0.3);
 * 4. duplicate query parameter names → 400 (IMDSDOC §Query parameters); verbs but GET → 405;
 * 5. the routes, each behind its api-version check, then 404.
 */
export function imdsMiddleware(deps: ImdsMiddlewareDeps): Middleware {
  const { options, tokens, facts, clock, logger } = deps;
  const routes = routeTable([
    [azurePath('/metadata/versions'), (ctx) => sendJson(ctx, 200, { apiVersions: API_VERSIONS })],
    [INSTANCE_PATH, since(INSTANCE_SINCE, instanceEndpoint(options.instance ?? {}, facts))],
    [
      azurePath('/metadata/identity/oauth2/token'),
      since(
        IDENTITY_SINCE,
        identityTokenEndpoint(
          tokens,
          new Throttle(options.identityRequestsPerSecond ?? 20, clock),
          clock,
        ),
      ),
    ],
    [
      azurePath('/metadata/identity/info'),
      since(IDENTITY_SINCE, (ctx) =>
        options.tenantId
          ? sendJson(ctx, 200, { tenantId: options.tenantId })
          : sendNotFound(ctx, 'identity'),
      ),
    ],
  ]);

  return dialectMiddleware(
    (ctx) => OWNED.test(ctx.path),
    [
      alwaysSet(IMDS_HEADERS),
      errorBoundary(logger, renderError),
      rejectForwarded((ctx) =>
        sendBadRequest(ctx, areaOf(ctx), 'Requests with an X-Forwarded-For header are not allowed'),
      ),
      requireHeader('Metadata', 'true', (ctx) =>
        sendBadRequest(ctx, areaOf(ctx), METADATA_HEADER_MISSING),
      ),
      rejectDuplicateParameters,
      allowMethods(['GET', 'HEAD'], (ctx) => sendMethodNotAllowed(ctx, areaOf(ctx))),
      routes,
      (ctx) => sendNotFound(ctx, areaOf(ctx)),
    ],
  );
}

/**
 * `answer` for an `api-version` of `version` or later; a missing, unknown or too old one gets the
 * documented 400 with `newest-versions`.
 */
function since(version: string, answer: Middleware): Middleware {
  return (ctx: Context, next: Next) => {
    const asked = queryParams(ctx).get('api-version') ?? '';
    return isSupportedVersion(asked) && isAtLeast(asked, version)
      ? answer(ctx, next)
      : sendBadVersion(ctx);
  };
}

function rejectDuplicateParameters(ctx: Context, next: Next) {
  const seen = new Set<string>();
  for (const name of queryParams(ctx).keys()) {
    if (seen.has(name)) {
      return sendBadRequest(
        ctx,
        areaOf(ctx),
        'Requests with duplicate query parameter names are not allowed',
      );
    }
    seen.add(name);
  }
  return next();
}

function renderError(ctx: Context, error: unknown): void {
  if (areaOf(ctx) === 'identity') {
    const { status, body } = tokenFailure(error);
    return sendJson(ctx, status, body);
  }
  sendJson(ctx, 500, { error: 'Internal server error' });
}
