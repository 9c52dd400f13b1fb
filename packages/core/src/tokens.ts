import type { InjectionToken } from 'tsyringe';
import type { Clock } from './clock/clock.js';
import type { FreshnessPolicy } from './credentials/freshness-policy.js';
import type { FactSource } from './facts/fact-source.js';
import type { InstanceFacts } from './facts/instance-facts.js';
import type { MetadataProvider } from './http/metadata-provider.js';
import type { Logger } from './log/logger.js';
import type { VaultSession } from './vault/vault-session.js';
import type { VaultSessionConfig } from './vault/vault-session-config.js';

/**
 * The DI tokens of guise. Interfaces have no runtime identity, so every constructor parameter is
 * injected by one of these (`@inject(TOKENS.Clock)`); only composition roots register them.
 */
export const TOKENS = {
  Clock: Symbol('guise.Clock') as InjectionToken<Clock>,
  Logger: Symbol('guise.Logger') as InjectionToken<Logger>,
  FreshnessPolicy: Symbol('guise.FreshnessPolicy') as InjectionToken<FreshnessPolicy>,
  VaultSession: Symbol('guise.VaultSession') as InjectionToken<VaultSession>,
  /** What NodeVaultSession is built from: addresses, auth method, token store, renew/retry settings. */
  VaultSessionConfig: Symbol('guise.VaultSessionConfig') as InjectionToken<VaultSessionConfig>,
  /** Multi-token: every registered provider is mounted on the shared listener, in registration order. */
  MetadataProvider: Symbol('guise.MetadataProvider') as InjectionToken<MetadataProvider>,
  /** Multi-token: merged in registration order, later sources overriding earlier ones. */
  FactSource: Symbol('guise.FactSource') as InjectionToken<FactSource>,
  /** The merged facts, collected once at start-up by the composition root. */
  InstanceFacts: Symbol('guise.InstanceFacts') as InjectionToken<InstanceFacts>,
} as const;
