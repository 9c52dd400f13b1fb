/**
 * @guise/provider-gcp — the GCE metadata server dialect and the Vault GCP secrets engine sources.
 *
 * `GceMetadataProvider` serves `computeMetadata/v1/` as real clients expect it byte for byte
 * (reference/gcp-metadata.md); the service account's access tokens and ID tokens come from any
 * `CredentialSource` through core's CredentialBroker — in production a `VaultGcpTokenSource`
 * (roleset, static or impersonated account tokens) or a `VaultGcpKeySource` whose key
 * google-auth-library turns into access and ID tokens. `registerGceMetadata` wires the provider
 * into a tsyringe container.
 */
// First: core loads the Reflect polyfill, which tsyringe demands before it is evaluated.
import '@guise/core';

export type { GcpAccessToken, IdToken, IdTokenRequest } from './gcp-credentials.js';
export type {
  GceInstanceConfig,
  GceMetadataOptions,
  GceProjectConfig,
  GceServiceAccount,
  ScopedTokenSource,
} from './metadata/gce-options.js';
export { GCE_METADATA_OPTIONS } from './metadata/gce-options.js';
export { GceMetadataProvider } from './metadata/gce-metadata-provider.js';
export { GCE_MIN_REMAINING_MS } from './service-accounts/token-endpoint.js';
export { registerGceMetadata } from './register.js';
export { VaultGcpTokenSource } from './vault/vault-gcp-token-source.js';
export type {
  VaultGcpTokenSourceOptions,
  VaultGcpSecretKind,
} from './vault/vault-gcp-token-source.js';
export { VaultGcpKeySource } from './vault/vault-gcp-key-source.js';
export type { VaultGcpKeySourceOptions, ServiceAccountKey } from './vault/vault-gcp-key-source.js';
export { KeyAccessTokenSource, KeyIdTokenSource } from './google/key-token-sources.js';
export type { GoogleEndpoints } from './google/key-token-sources.js';
export { IamIdTokenSource } from './google/iam-id-token-source.js';
export type { IamCredentialsEndpoint } from './google/iam-id-token-source.js';
