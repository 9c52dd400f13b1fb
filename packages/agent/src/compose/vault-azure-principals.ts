import type { DependencyContainer } from 'tsyringe';
import { TOKENS } from '@guise/core';
import { VaultAzureSource } from '@guise/provider-azure';
import type { AzureConfig } from '../config/schema.js';

/** A configured identity (without its Vault settings) and where its service principals come from. */
export interface IdentityPrincipals {
  readonly identity: Omit<AzureConfig['identities'][number], 'vault'>;
  readonly principals: VaultAzureSource;
}

/**
 * Each configured identity's service principals from Vault's Azure secrets engine (the agent
 * exchanges them for Entra tokens; `guise doctor` checks their paths). `scope` provides the
 * VaultSession and Clock.
 */
export function vaultAzurePrincipals(
  scope: DependencyContainer,
  azure: AzureConfig,
): IdentityPrincipals[] {
  const session = scope.resolve(TOKENS.VaultSession);
  const clock = scope.resolve(TOKENS.Clock);
  return azure.identities.map(({ vault, ...identity }) => ({
    identity,
    principals: new VaultAzureSource(session, { mount: vault.mount, role: vault.role }, clock),
  }));
}
