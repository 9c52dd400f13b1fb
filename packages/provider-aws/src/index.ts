/**
 * @guise/provider-aws — the EC2 instance metadata dialect (IMDSv1/IMDSv2) and the Vault AWS
 * secrets engine source.
 *
 * `AwsImdsProvider` serves the IMDS tree as real clients expect it byte for byte
 * (reference/aws-imds.md); its role credentials come from any `CredentialSource<AwsCredentials>`
 * through core's CredentialBroker — in production a `VaultAwsSource`. `registerAwsImds` wires the
 * provider into a tsyringe container.
 */
// First: core loads the Reflect polyfill, which tsyringe demands before it is evaluated.
import '@guise/core';

export type { AwsCredentials } from './aws-credentials.js';
export type { AwsImdsOptions, AwsInstanceConfig, ImdsTokenMode } from './imds/imds-options.js';
export { AWS_IMDS_OPTIONS } from './imds/imds-options.js';
export { AwsImdsProvider } from './imds/aws-imds-provider.js';
export { ImdsTokenStore } from './imds/imds-token-store.js';
export { API_VERSIONS } from './imds/versions.js';
export { registerAwsImds } from './register.js';
export { VaultAwsSource } from './vault/vault-aws-source.js';
export type { VaultAwsSourceOptions } from './vault/vault-aws-source.js';
export { credentialProcessJson } from './process/credential-process-json.js';
export {
  DEFAULT_IMDS_URL,
  fetchImdsCredentials,
  ImdsCredentialsError,
} from './process/imds-credentials-client.js';
