import type { VaultAccess, VaultSession } from '@guise/core';
import {
  DEFAULT_FRESHNESS,
  silentLogger,
  systemClock,
  TOKENS,
  registerCoreServices,
} from '@guise/core';
import type { DependencyContainer } from 'tsyringe';
import { container } from 'tsyringe';
import { gcpServiceAccount } from '../compose/gcp-service-account.js';
import { vaultAwsSource } from '../compose/register-aws.js';
import { vaultAzurePrincipals } from '../compose/vault-azure-principals.js';
import type { AgentConfig } from '../config/schema.js';

/** A Vault path the agent reads credentials from, and the capability its request needs. */
export interface SecretsPath extends VaultAccess {
  /** What it is for, in the doctor's report. */
  readonly purpose: string;
}

/**
 * Every secrets path the configuration makes the agent use, in the order of the config's sections,
 * each path once. The sources are built by the same functions the agent registers them with, and
 * report their own path and capability, so the doctor checks exactly what the agent will request.
 * Nothing is requested: building a source only computes its path.
 */
export function configuredSecretsPaths(config: AgentConfig, session: VaultSession): SecretsPath[] {
  const scope = sourceScope(session);
  const paths: SecretsPath[] = [];
  if (config.aws) {
    const purpose = `AWS role ${config.aws.role.name}`;
    paths.push({ ...vaultAwsSource(scope, config.aws).vaultAccess, purpose });
  }
  if (config.gcp) {
    const purpose = `GCP service account ${config.gcp.serviceAccount.email}`;
    for (const access of gcpServiceAccount(scope, config.gcp).vaultAccess) {
      paths.push({ ...access, purpose });
    }
  }
  if (config.azure) {
    for (const { identity, principals } of vaultAzurePrincipals(scope, config.azure)) {
      paths.push({ ...principals.vaultAccess, purpose: `Azure identity ${identity.name}` });
    }
  }
  return paths.filter(
    (entry, index) =>
      paths.findIndex((p) => p.path === entry.path && p.capability === entry.capability) === index,
  );
}

/** What the source-building functions resolve: the doctor's session and inert defaults. */
function sourceScope(session: VaultSession): DependencyContainer {
  const scope = container.createChildContainer();
  scope.register(TOKENS.VaultSession, { useValue: session });
  registerCoreServices(scope, {
    clock: systemClock,
    logger: silentLogger,
    freshness: DEFAULT_FRESHNESS,
  });
  return scope;
}
