import type { Clock, FreshnessPolicy, Logger } from '@guise/core';
import {
  collectFacts,
  DEFAULT_FRESHNESS,
  GuestInfoFactSource,
  GuestInfoReader,
  HostFactSource,
  NodeVaultSession,
  staticFacts,
  systemClock,
  TOKENS,
  registerCoreServices,
} from '@guise/core';
import type { DependencyContainer } from 'tsyringe';
import { container, Lifecycle } from 'tsyringe';
import type { AgentConfig } from '../config/schema.js';
import { resolveVaultAddresses } from './resolve-vault-addresses.js';
import { toVaultSessionConfig } from './vault-session-config.js';
import { agentLogger } from '../observe/agent-logger.js';

/** What an embedding program or a test may supply instead of the defaults. */
export interface AgentOverrides {
  /** Default: the system clock. Tests pass a ManualClock to move time. */
  readonly clock?: Clock;
  /** Default: JSON lines on stderr at `config.log.level`. */
  readonly logger?: Logger;
}

/**
 * Registers one agent instance in a child container of its own, so that several agents (tests,
 * library users) live side by side in one process without sharing a broker, session or provider.
 * Facts are collected here, once: providers render them and never read the host themselves.
 */
export async function buildAgentContainer(
  config: AgentConfig,
  overrides: AgentOverrides,
): Promise<DependencyContainer> {
  const scope = container.createChildContainer();
  scope.register(TOKENS.VaultSessionConfig, {
    useValue: toVaultSessionConfig(await resolveVaultAddresses(config.vault)),
  });
  scope.register(
    TOKENS.VaultSession,
    { useClass: NodeVaultSession },
    { lifecycle: Lifecycle.ContainerScoped },
  );

  // Later sources override earlier ones: the host's own view, then what vSphere says about the VM,
  // then what the operator configured.
  const { guestinfo, ...configuredFacts } = config.facts;
  scope.register(TOKENS.FactSource, { useValue: new HostFactSource() });
  if (guestinfo) {
    const attributes = guestinfo === true ? [] : guestinfo.attributes;
    scope.register(TOKENS.FactSource, {
      useValue: new GuestInfoFactSource(new GuestInfoReader(), { attributes }),
    });
  }
  scope.register(TOKENS.FactSource, { useValue: staticFacts('config', configuredFacts) });
  registerCoreServices(scope, {
    clock: overrides.clock ?? systemClock,
    logger: overrides.logger ?? agentLogger(config.log),
    freshness: freshnessPolicy(config.credentials),
    facts: await collectFacts(scope.resolveAll(TOKENS.FactSource)),
  });

  // GCE first: it claims `/` only for `Metadata-Flavor: Google`, AWS claims it always.
  // Each dialect's module is imported only when it is configured: a provider's libraries
  // (google-auth-library, @azure/identity and theirs) stay resident once loaded, and an agent
  // serving AWS alone would otherwise carry them for nothing.
  if (config.gcp) (await import('./register-gcp.js')).registerGcp(scope, config.gcp);
  if (config.aws) (await import('./register-aws.js')).registerAws(scope, config.aws);
  if (config.azure) await (await import('./register-azure.js')).registerAzure(scope, config.azure);
  return scope;
}

function freshnessPolicy(credentials: AgentConfig['credentials']): FreshnessPolicy {
  return {
    ...DEFAULT_FRESHNESS,
    minRemainingMs: credentials.minRemaining * 1000,
    revokeOnShutdown: credentials.revokeOnShutdown,
  };
}
