/**
 * @guise/core — the contracts and shared machinery of guise.
 *
 * guise answers a cloud SDK's metadata requests on a machine outside that cloud. One request
 * travels through four concepts, each a folder here:
 *
 *   client ──HTTP──▶ MetadataProvider (a dialect: AWS IMDS, GCE metadata, Azure IMDS; `http/`)
 *                      │  renders facts and credentials in the cloud's exact wire format
 *                      ▼
 *                    CredentialBroker (`credentials/`): decides *when* to go to the backend —
 *                      cache, single-flight, refresh ahead of expiry, serve-cached-while-valid
 *                      │
 *                      ▼
 *                    CredentialSource (one per Vault engine and kind, or static/callback)
 *                      │
 *                      ▼
 *                    VaultSession (`vault/`): login, token renewal, persistence, retries
 *
 * In front of it all, an AnswerCache (`http/answer-cache.ts`) replays the answers a dialect marks
 * replayable (its credential answers) to identical requests while they stay true, so that a burst
 * of clients asking for the same credential costs what bare `node:http` would.
 *
 * Instance facts (host name, address, instance id, tags) come from FactSources (`facts/`), among
 * them vSphere guestinfo (`vsphere/`, which also hands the VM its AppRole secret_id). Time comes
 * from an injected Clock (`clock/`), logs go to a redacting Logger (`log/`), and every retry
 * (Vault calls, background refreshes) backs off through one RetryPolicy (`retry/`). Vault leases
 * die with the token that created them; `vault/vault-lease.ts` binds such credentials to it.
 * Providers live in their own packages and depend only on this one; the agent package is the
 * composition root that wires them with tsyringe using the TOKENS below.
 */
import 'reflect-metadata';

export { TOKENS } from './tokens.js';
export { registerCoreServices } from './register-core-services.js';
export type { CoreServices } from './register-core-services.js';

export type { Clock } from './clock/clock.js';
export { systemClock } from './clock/clock.js';
export { ManualClock } from './clock/manual-clock.js';

export type { Logger, LogFields, LogLevel } from './log/logger.js';
export { silentLogger } from './log/logger.js';
export { JsonLogger } from './log/json-logger.js';
export type { JsonLoggerOptions } from './log/json-logger.js';
export { redact, isSecretKey, REDACTED } from './log/redact.js';

export type { Issued, Lease } from './credentials/issued.js';
export { remainingMs, lifetimeMs } from './credentials/issued.js';
export type { CredentialSource } from './credentials/credential-source.js';
export { fromCallback, fromStatic } from './credentials/static-source.js';
export type { FreshnessPolicy } from './credentials/freshness-policy.js';
export { DEFAULT_FRESHNESS, servingFloorMs } from './credentials/freshness-policy.js';
export { CredentialBroker } from './credentials/credential-broker.js';
export { RenderCache } from './credentials/render-cache.js';
export type {
  BrokerEvent,
  BrokerListener,
  CachedCredential,
} from './credentials/credential-broker.js';
export type { ServeOptions } from './credentials/credential-broker.js';
export { CredentialUnavailableError } from './credentials/errors.js';

export type { VaultSession, VaultSessionStatus } from './vault/vault-session.js';
export type { VaultAccess } from './vault/vault-access.js';
export type { VaultResponse, VaultAuth, VaultWrapInfo } from './vault/vault-response.js';
export { VaultRequestError, VaultUnreachableError, VaultLoginError } from './vault/errors.js';
export { leaseOf, renewLeased, revokeLeased, bindLeaseToToken } from './vault/vault-lease.js';
export { NodeVaultSession } from './vault/node-vault-session.js';
export type {
  VaultSessionConfig,
  VaultAuthConfig,
  AppRoleAuthConfig,
  TokenFileAuthConfig,
  RenewSettings,
} from './vault/vault-session-config.js';
export { appRoleSessionConfig, DEFAULT_RENEW } from './vault/vault-session-config.js';
export type { RetrySettings } from './retry/retry-policy.js';
export { DEFAULT_RETRY } from './retry/retry-policy.js';
export type { SecretInput, SecretInputConfig } from './vault/auth/secret-input.js';
export { secretInputFrom } from './vault/auth/secret-input.js';
export { isWrappedSecretId } from './vault/auth/approle-auth.js';

export { GuestInfoReader, GuestInfoError } from './vsphere/guestinfo-reader.js';
export { GuestInfoSecretInput } from './vsphere/guestinfo-secret-input.js';
export {
  GuestInfoFactSource,
  GUESTINFO_FACT_PREFIX,
  parseTags,
} from './vsphere/guestinfo-fact-source.js';
export type { GuestInfoFactOptions } from './vsphere/guestinfo-fact-source.js';

export type { InstanceFacts, PartialFacts } from './facts/instance-facts.js';
export type { FactSource } from './facts/fact-source.js';
export { HostFactSource, sha256Hex } from './facts/host-facts.js';
export { collectFacts, mergeFacts, staticFacts } from './facts/merge-facts.js';

export type { MetadataProvider } from './http/metadata-provider.js';
export type { Refusal } from './http/guards.js';
export {
  rejectForwarded,
  requireHeader,
  allowMethods,
  alwaysSet,
  sendExact,
} from './http/guards.js';
export { dialectMiddleware } from './http/dialect-middleware.js';
export { firstPathSegment, pathSegments, queryParams } from './http/request-parts.js';
export { errorBoundary } from './http/error-boundary.js';
export { createMetadataApp } from './http/create-metadata-app.js';
export { routeTable } from './http/route-table.js';
export type { Route } from './http/route-table.js';
export type { MetadataAppOptions, RequestSample } from './http/create-metadata-app.js';
export { listen, DEFAULT_SERVER_LIMITS } from './http/metadata-server.js';
export type { ListenOptions, RunningServer, ServerLimits } from './http/metadata-server.js';
export { AnswerCache, cacheAnswer, ANSWER_MAX_AGE_MS } from './http/answer-cache.js';
export type { AnswerSample } from './http/answer-cache.js';
export {
  hostAndPort,
  isLocalOnlyAddress,
  ListenAddressError,
  parseListenAddress,
} from './http/listen-address.js';
export { ListenError } from './http/listen-error.js';
