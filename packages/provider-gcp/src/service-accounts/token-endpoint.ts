import type { Context } from 'koa';
import type { Clock, CredentialSource, CredentialBroker, Issued } from '@guise/core';
import {
  cacheAnswer,
  CredentialUnavailableError,
  queryParams,
  RenderCache,
  sendExact,
} from '@guise/core';
import type { GcpAccessToken } from '../gcp-credentials.js';
import type { GceServiceAccount } from '../metadata/gce-options.js';
import { etagOf, JSON_TYPE } from '../metadata/responses.js';

/**
 * GCE "caches access tokens until they have 5 minutes of remaining time" (§1.4), and clients
 * treat a token with 5 minutes or less as expired (google-auth-library's eager refresh threshold
 * is exactly 5 min): a served token must have more, whole seconds counted, hence the extra second.
 */
export const GCE_MIN_REMAINING_MS = 5 * 60_000 + 1_000;

/** `scopes=a,b` (comma-separated, URL-encoded, §1.4); absent or empty means the default set. */
export function requestedScopes(params: URLSearchParams): string[] {
  return params
    .getAll('scopes')
    .flatMap((value) => value.split(','))
    .map((scope) => scope.trim())
    .filter(Boolean);
}

/**
 * The source for the requested scopes: the first configured scope set that includes them all,
 * else the account's default token — GCE itself "ignores requested scopes" (§1.4), so a request
 * for scopes nobody configured gets what the VM has rather than an error.
 */
export function tokenSourceFor(
  account: GceServiceAccount,
  scopes: readonly string[],
): CredentialSource<GcpAccessToken> {
  if (scopes.length === 0) return account.token;
  const covering = account.scopedTokens?.find((set) =>
    scopes.every((scope) => set.scopes.includes(scope)),
  );
  return covering?.source ?? account.token;
}

/** A token answer as sent: its bytes and their ETag. */
interface TokenAnswer {
  readonly body: Buffer;
  readonly etag: string;
}

/**
 * Answers by token and seconds left: within a second every request for a token gets the same
 * bytes, so they are rendered and hashed once rather than per request.
 */
const answers = new RenderCache<TokenAnswer>();

/** `…/token` → `{"access_token":…,"expires_in":…,"token_type":"Bearer"}` as `application/json`. */
export async function serveToken(
  ctx: Context,
  account: GceServiceAccount,
  broker: CredentialBroker,
  clock: Clock,
): Promise<void> {
  const source = tokenSourceFor(account, requestedScopes(queryParams(ctx)));
  const issued = await broker.get(source, undefined, { minRemainingMs: GCE_MIN_REMAINING_MS });
  const expiresIn = Math.floor((issued.expiresAt - clock.now()) / 1000);
  // Below the floor come a token served from cache while Vault is down (down to the broker's
  // one-minute outage margin) and, from a source issuing tokens shorter than ~10 min, one that
  // has at most half its lifetime left: neither may be served with 5 minutes or less (`expires_in`
  // 300 is already "expiring" to google-auth-library).
  if (expiresIn * 1000 < GCE_MIN_REMAINING_MS) {
    throw new CredentialUnavailableError(source.id, {
      cause: new Error(`token has only ${expiresIn}s left`),
    });
  }
  const answer = answers.get(issued, String(expiresIn), () => renderToken(issued, expiresIn));
  ctx.response.set('ETag', answer.etag);
  sendExact(ctx, 200, JSON_TYPE, answer.body);
  // Replayable while `expires_in` keeps its value: it drops by one at this instant.
  cacheAnswer(ctx, issued.expiresAt - expiresIn * 1000);
}

function renderToken(issued: Issued<GcpAccessToken>, expiresIn: number): TokenAnswer {
  const body = JSON.stringify({
    access_token: issued.value.token,
    expires_in: expiresIn,
    token_type: 'Bearer',
  });
  return { body: Buffer.from(body), etag: etagOf(body) };
}
