/**
 * @guise/provider-azure — the Azure Instance Metadata Service (instance document and
 * managed-identity tokens), the App Service managed-identity dialect, and the sources behind them:
 * service principals from Vault's Azure secrets engine, exchanged for Entra tokens per resource
 * with `@azure/identity`'s `ClientSecretCredential`.
 *
 * `AzureImdsProvider` serves IMDS as real clients expect it (reference/azure-imds.md); each
 * `ManagedIdentity` gets its tokens from a `CredentialSource<AzureAccessToken, resource>` through
 * core's CredentialBroker — in production an `EntraTokenSource` over a `VaultAzureSource`.
 * `registerAzureImds` wires it all into a tsyringe container.
 */
// First: core loads the Reflect polyfill, which tsyringe demands before it is evaluated.
import '@guise/core';

export type { AzureAccessToken } from './entra/azure-access-token.js';
export { accessTokenOf } from './entra/jwt-claims.js';
export { EntraTokenSource } from './entra/entra-token-source.js';
export type { EntraOptions } from './entra/entra-token-source.js';
export type { PropagationRetry } from './entra/propagation-retry.js';
export { DEFAULT_PROPAGATION_RETRY } from './entra/propagation-retry.js';
export type { ServicePrincipal } from './vault/service-principal.js';
export { VaultAzureSource } from './vault/vault-azure-source.js';
export type { VaultAzureSourceOptions } from './vault/vault-azure-source.js';
export type { ManagedIdentity } from './identity/managed-identity.js';
export { AZURE_IDENTITIES } from './identity/managed-identity.js';
export { IdentityTokens } from './identity/identity-tokens.js';
export type { AzureImdsOptions } from './imds/azure-imds-options.js';
export { AZURE_IMDS_OPTIONS } from './imds/azure-imds-options.js';
export type { AzureInstanceConfig } from './imds/instance/instance-config.js';
export { AzureImdsProvider } from './imds/azure-imds-provider.js';
export { API_VERSIONS } from './imds/api-versions.js';
export type { AppServiceOptions } from './app-service/app-service-options.js';
export {
  APP_SERVICE_API_VERSION,
  APP_SERVICE_TOKEN_PATH,
} from './app-service/app-service-options.js';
export { AppServiceProvider } from './app-service/app-service-provider.js';
export { registerAzureImds } from './register.js';
export type { AzureRegistration } from './register.js';
