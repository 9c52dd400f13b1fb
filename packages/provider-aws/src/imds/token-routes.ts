import type { Context } from 'koa';
import { cacheAnswer } from '@guise/core';
import type { ImdsTokenMode } from './imds-options.js';
import type { ImdsTokenStore } from './imds-token-store.js';
import { MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from './imds-token-store.js';
import { TOKEN_TTL_HEADER, sendEmpty, sendMethodNotAllowed, sendValue } from './responses.js';

/** Request headers of IMDSv2 (§1.2, §1.3); Koa matches header names case-insensitively. */
export const TTL_REQUEST_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
export const TOKEN_REQUEST_HEADER = 'x-aws-ec2-metadata-token';

/** `<version>/api/token`: the token resource exists under every version, but only `latest` issues. */
export function isTokenPath(segments: readonly string[]): boolean {
  return segments.length === 3 && segments[1] === 'api' && segments[2] === 'token';
}

/**
 * `PUT /latest/api/token` (reference/aws-imds.md §1.2). Checks run in this order:
 * - any other method → 405 with `Allow: PUT` (EC2 answers 405 on a GET; SDKs treat 405 like 403/404
 *   and fall back to IMDSv1, §1.4);
 * - a version-specific path such as `/2021-03-23/api/token` → 403, "this behavior is intended";
 * - tokens disabled → 403, what EC2 answers when the request is not allowed;
 * - TTL header missing, not a plain integer, or outside 1..21600 → 400 (the JS SDK and botocore
 *   stop on 400 rather than fall back, so a client bug is not silently downgraded to IMDSv1);
 * - otherwise 200 with the token and the TTL echoed; the token lasts that TTL and less than a
 *   second more (ImdsTokenStore).
 * `X-Forwarded-For` was refused with 403 before this point, as for every IMDS request.
 */
export function handleTokenRequest(
  ctx: Context,
  version: string,
  tokens: ImdsTokenStore,
  mode: ImdsTokenMode,
): void {
  if (ctx.method !== 'PUT') return sendMethodNotAllowed(ctx, ['PUT']);
  if (version !== 'latest' || mode === 'disabled') return sendEmpty(ctx, 403);
  const ttl = parseTtl(ctx.get(TTL_REQUEST_HEADER));
  if (ttl === undefined) return sendEmpty(ctx, 400);
  const { token, reusableUntil } = tokens.issue(ttl);
  ctx.response.set(TOKEN_TTL_HEADER, String(ttl));
  sendValue(ctx, token);
  // Every client of a burst PUTs the same request: it gets the same token, replayed.
  cacheAnswer(ctx, reusableUntil);
}

/** Digits only: `+5`, `1e3`, `5.0` and repeated headers (joined by Node as `1, 2`) are all invalid. */
function parseTtl(header: string): number | undefined {
  if (!/^\d{1,6}$/.test(header)) return undefined;
  const ttl = Number(header);
  return ttl >= MIN_TOKEN_TTL_SECONDS && ttl <= MAX_TOKEN_TTL_SECONDS ? ttl : undefined;
}
