import type { DependencyContainer } from 'tsyringe';
import { Lifecycle } from 'tsyringe';
import { TOKENS } from '@guise/core';
import type { AppServiceOptions } from './app-service/app-service-options.js';
import { APP_SERVICE_OPTIONS } from './app-service/app-service-options.js';
import { AppServiceProvider } from './app-service/app-service-provider.js';
import type { ManagedIdentity } from './identity/managed-identity.js';
import { AZURE_IDENTITIES } from './identity/managed-identity.js';
import { IdentityTokens } from './identity/identity-tokens.js';
import type { AzureImdsOptions } from './imds/azure-imds-options.js';
import { AZURE_IMDS_OPTIONS } from './imds/azure-imds-options.js';
import { AzureImdsProvider } from './imds/azure-imds-provider.js';

export interface AzureRegistration extends AzureImdsOptions {
  readonly identities: readonly ManagedIdentity[];
  /** Also serve the App Service dialect; its provider is resolved as `AppServiceProvider`. */
  readonly appService?: AppServiceOptions;
}

/**
 * Adds the Azure IMDS dialect to a container: the identities and their token cache (one
 * `IdentityTokens` singleton, shared with the App Service dialect), and the provider under the
 * `TOKENS.MetadataProvider` multi-token as a singleton. The App Service provider is registered,
 * not mounted: it needs a listener of its own, which the composition root gives it. The container
 * must already provide CredentialBroker, TOKENS.InstanceFacts, TOKENS.Clock and TOKENS.Logger.
 */
export function registerAzureImds(
  container: DependencyContainer,
  { identities, appService, ...options }: AzureRegistration,
): void {
  container.register(AZURE_IDENTITIES, { useValue: identities });
  container.registerSingleton(IdentityTokens);
  container.register(AZURE_IMDS_OPTIONS, { useValue: options });
  container.register(
    TOKENS.MetadataProvider,
    { useClass: AzureImdsProvider },
    { lifecycle: Lifecycle.Singleton },
  );
  if (appService) {
    container.register(APP_SERVICE_OPTIONS, { useValue: appService });
    container.registerSingleton(AppServiceProvider);
  }
}
