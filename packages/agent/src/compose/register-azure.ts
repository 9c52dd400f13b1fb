import { readFile } from 'node:fs/promises';
import type { DependencyContainer } from 'tsyringe';
import { secretInputFrom, CredentialBroker, TOKENS } from '@guise/core';
import type { ManagedIdentity } from '@guise/provider-azure';
import {
  AppServiceProvider,
  DEFAULT_PROPAGATION_RETRY,
  EntraTokenSource,
  registerAzureImds,
} from '@guise/provider-azure';
import type { AzureConfig } from '../config/schema.js';
import { SIDE_LISTENER } from './side-listener.js';
import { vaultAzurePrincipals } from './vault-azure-principals.js';

/**
 * Mounts the Azure IMDS dialect, each configured identity served by service principals from
 * Vault's Azure secrets engine exchanged for Entra tokens; and the App Service dialect on its own
 * listener when configured.
 */
export async function registerAzure(scope: DependencyContainer, azure: AzureConfig): Promise<void> {
  const logger = scope.resolve(TOKENS.Logger).child({ component: 'azure' });
  const broker = scope.resolve(CredentialBroker);
  const entra = {
    tenantId: azure.tenantId,
    authorityHost: azure.authorityHost,
    caPem: azure.caFile ? await readFile(azure.caFile, 'utf8') : undefined,
    propagationRetry: { ...DEFAULT_PROPAGATION_RETRY, windowMs: azure.propagationWindow * 1000 },
  };
  const identities: ManagedIdentity[] = vaultAzurePrincipals(scope, azure).map(
    ({ identity, principals }) => ({
      ...identity,
      tokens: new EntraTokenSource(broker, principals, entra, logger),
    }),
  );
  const appService = azure.appService;
  const secret = appService ? await secretInputFrom(appService.secret).read() : undefined;
  if (appService && !secret)
    throw new Error('azure.appService.secret: no value (empty file or variable)');
  registerAzureImds(scope, {
    identities,
    instance: azure.instance,
    tenantId: azure.tenantId,
    identityRequestsPerSecond: azure.identityRequestsPerSecond,
    ...(secret ? { appService: { secret } } : {}),
  });
  if (appService) {
    scope.register(SIDE_LISTENER, {
      useFactory: (container) => ({
        name: 'azure-app-service',
        host: appService.listen.host,
        port: appService.listen.port,
        provider: container.resolve(AppServiceProvider),
      }),
    });
  }
}
