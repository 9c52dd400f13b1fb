import type { Context } from 'koa';
import type { CredentialSource, CredentialBroker } from '@guise/core';
import { queryParams, sendExact } from '@guise/core';
import type { IdToken, IdTokenRequest } from '../gcp-credentials.js';
import { etagOf, sendPlainError, TEXT } from '../metadata/responses.js';
import { GCE_MIN_REMAINING_MS } from './token-endpoint.js';

/**
 * `…/identity?audience=AUD&format=standard|full&licenses=TRUE|FALSE` → a bare JWT (§1.4). Node
 * sends the audience unencoded after `format=full`, which a URL parser reads the same way.
 * Missing or empty audience → 400 `non-empty audience parameter required`.
 */
export async function serveIdentity(
  ctx: Context,
  source: CredentialSource<IdToken, IdTokenRequest>,
  broker: CredentialBroker,
): Promise<void> {
  const params = queryParams(ctx);
  const audience = params.get('audience') ?? '';
  if (audience === '') return sendPlainError(ctx, 400, 'non-empty audience parameter required');
  const request: IdTokenRequest = {
    audience,
    format: params.get('format') === 'full' ? 'full' : 'standard',
    licenses: /^true$/i.test(params.get('licenses') ?? ''),
  };
  const issued = await broker.get(source, request, { minRemainingMs: GCE_MIN_REMAINING_MS });
  ctx.set('ETag', etagOf(issued.value));
  sendExact(ctx, 200, TEXT, issued.value);
}
