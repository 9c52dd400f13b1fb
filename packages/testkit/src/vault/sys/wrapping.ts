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
  const wrappingTokenOf = (context: HandlerContext): { token: TokenEntry; wrapped: WrappedResponse } => {
    const id = wrapper.candidateToken(context.request);
    // First-party unwrap: the client token is the wrapping token; its only use was spent on this
    // request, so it is taken from the request rather than looked up again.
    const token = context.token?.id === id ? context.token : wrapper.find(id);
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
