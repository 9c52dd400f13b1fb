import type { Context } from 'koa';
import type { Clock } from '@guise/core';
import { cacheAnswer, queryParams, RenderCache } from '@guise/core';
import { RESOURCE_MISSING, SELECTION_REFUSALS } from '../identity/identity-errors.js';
import type { IdentityTokens, ServedToken } from '../identity/identity-tokens.js';
import { sendBadRequest, sendJson, sendJsonBytes } from './imds-responses.js';
import type { Throttle } from './throttle.js';

/** Real IMDS's throttling answer (hashicorp/terraform-provider-azurerm#20901, §1.6). */
const THROTTLED = {
  error: 'invalid_request',
  error_description: 'Temporarily throttled, too many requests',
};

/** What a token answer echoes of its request, beside the token itself. */
interface Echoed {
  readonly resource: string;
  readonly objectId?: string;
  readonly resourceId?: string;
}

/**
 * Answers by token, seconds left and query: what an answer echoes comes from the query, so within
 * a second the requests of a machine's clients get the same bytes, rendered once.
 */
const answers = new RenderCache<Buffer>();

/**
 * `GET /metadata/identity/oauth2/token?api-version&resource[&client_id|object_id|msi_res_id]`
 * (§1.6). Every field of the answer is a string; `expires_on` is epoch seconds and equals the
 * token's `exp` (azure-identity 1.13 `int()`s it, msal-node derives the lifetime from it alone);
 * `resource` is echoed as sent (Python keys its cache by it); a selector is echoed as sent.
 */
export function identityTokenEndpoint(tokens: IdentityTokens, throttle: Throttle, clock: Clock) {
  return async (ctx: Context): Promise<void> => {
    if (!throttle.tryAcquire()) {
      // @azure/identity retries a 429 only when it says when (§0.9).
      ctx.set('Retry-After', '1');
      return sendJson(ctx, 429, THROTTLED);
    }
    const query = queryParams(ctx);
    const resource = query.get('resource') ?? '';
    if (resource === '') return sendBadRequest(ctx, 'identity', RESOURCE_MISSING);
    const objectId = query.get('object_id') ?? undefined;
    const resourceId = query.get('msi_res_id') ?? undefined;
    const served = await tokens.serve(
      { clientId: query.get('client_id') ?? undefined, objectId, resourceId },
      resource,
    );
    if (typeof served === 'string')
      return sendBadRequest(ctx, 'identity', SELECTION_REFUSALS[served]);
    const nowSeconds = Math.floor(clock.now() / 1000);
    const expiresIn = served.issued.value.expiresOnSeconds - nowSeconds;
    const echoed: Echoed = { resource, objectId, resourceId };
    const key = `${expiresIn} ${ctx.querystring}`;
    sendJsonBytes(
      ctx,
      200,
      answers.get(served.issued, key, () => renderToken(served, expiresIn, echoed)),
    );
    // Replayable until `expires_in` loses its second, each replay still counted by the throttle.
    cacheAnswer(ctx, (nowSeconds + 1) * 1000, () => throttle.tryAcquire());
  };
}

function renderToken(served: ServedToken, expiresInSeconds: number, echoed: Echoed): Buffer {
  const token = served.issued.value;
  const expiresIn = String(expiresInSeconds);
  return Buffer.from(
    JSON.stringify({
      access_token: token.accessToken,
      client_id: served.clientId,
      expires_in: expiresIn,
      expires_on: String(token.expiresOnSeconds),
      ext_expires_in: expiresIn,
      ...(echoed.resourceId ? { msi_res_id: echoed.resourceId } : {}),
      not_before: String(token.notBeforeSeconds),
      ...(echoed.objectId ? { object_id: echoed.objectId } : {}),
      refresh_token: '',
      resource: echoed.resource,
      token_type: 'Bearer',
    }),
  );
}
