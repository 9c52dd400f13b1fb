import { formatGoTime } from '../../util/go-time.js';
import { invalidWrappingToken } from '../errors.js';
import type { HandlerContext, LogicalResponse } from '../logical.js';
import { route, type Route } from '../routing/route.js';
import type { TokenEntry, WrappedResponse } from '../tokens/token-entry.js';
import type { TokenStore } from '../tokens/token-store.js';
import type { ResponseWrapper } from '../wrapping/response-wrapper.js';

/**
 * `sys/wrapping/lookup` (unauthenticated, as in Vault's PathsSpecial) and `sys/wrapping/unwrap`.
 * The core has already validated the wrapping token (400 `wrapping token is not valid or does
 * not exist`) before these run.
 */
export function wrappingRoutes(wrapper: ResponseWrapper, tokens: TokenStore): Route[] {
  const wrappingTokenOf = (
    context: HandlerContext,
  ): { token: TokenEntry; wrapped: WrappedResponse } => {
    // First-party (no `token` in the body): the client token is the wrapping token, and its only
    // use was spent on this very request. Third-party: the body's token must still be live, so a
    // token sent in both places is burnt by the header and then not found (reference §2.3).
    const firstParty = context.request.data['token'] === undefined;
    const token = firstParty
      ? context.token
      : wrapper.find(wrapper.candidateToken(context.request));
    const wrapped = token?.wrappedResponse;
    if (!token || !wrapped) throw invalidWrappingToken();
    return { token, wrapped };
  };

  const lookup = (context: HandlerContext): LogicalResponse => {
    const { wrapped } = wrappingTokenOf(context);
    return {
      data: {
        creation_path: wrapped.creationPath,
        creation_time: formatGoTime(wrapped.creationTimeMs),
        creation_ttl: wrapped.creationTtlSeconds,
      },
    };
  };

  return [
    route('wrapping/lookup', { read: lookup, write: lookup }, { unauthenticated: true }),
    route('wrapping/unwrap', {
      // Answers the original response byte for byte (with its own request_id), burning the token.
      write: (context) => {
        const { token, wrapped } = wrappingTokenOf(context);
        tokens.revoke(token);
        return { rawBody: wrapped.body };
      },
    }),
  ];
}
