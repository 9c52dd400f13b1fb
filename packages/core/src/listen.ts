/**
 * @guise/core/listen — listen addresses and the listener's default limits, without the rest of
 * core. For code that checks a configuration but serves nothing: the agent validates its config
 * in a short-lived process of its own, which needs these and none of the HTTP server, Vault
 * client or broker that `@guise/core` loads (about a fifth of a second of start-up).
 */
export {
  hostAndPort,
  isLocalOnlyAddress,
  ListenAddressError,
  parseListenAddress,
} from './http/listen-address.js';
export { DEFAULT_SERVER_LIMITS } from './http/metadata-server.js';
export type { ServerLimits } from './http/metadata-server.js';
