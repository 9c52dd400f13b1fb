import type { DependencyContainer } from 'tsyringe';
import type { Clock } from './clock/clock.js';
import { CredentialBroker } from './credentials/credential-broker.js';
import type { FreshnessPolicy } from './credentials/freshness-policy.js';
import type { InstanceFacts } from './facts/instance-facts.js';
import type { Logger } from './log/logger.js';
import { TOKENS } from './tokens.js';

/** What every provider resolves from core, given by the composition root. */
export interface CoreServices {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly freshness: FreshnessPolicy;
  /** Omitted where nothing will be rendered (e.g. a scope that only builds credential sources). */
  readonly facts?: InstanceFacts;
}

/**
 * Registers core's services in a composition root's `scope`: the clock, the logger, the freshness
 * policy, the instance facts and one CredentialBroker for the scope. Every root (the agent, the
 * in-process emulator, the doctor, provider test harnesses) does exactly this before registering
 * providers, so it is written once, like each provider's own `register*` helper.
 */
export function registerCoreServices(scope: DependencyContainer, services: CoreServices): void {
  scope.register(TOKENS.Clock, { useValue: services.clock });
  scope.register(TOKENS.Logger, { useValue: services.logger });
  scope.register(TOKENS.FreshnessPolicy, { useValue: services.freshness });
  if (services.facts) scope.register(TOKENS.InstanceFacts, { useValue: services.facts });
  scope.registerSingleton(CredentialBroker);
}
