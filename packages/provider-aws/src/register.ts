import type { DependencyContainer } from 'tsyringe';
import { Lifecycle } from 'tsyringe';
import { TOKENS } from '@guise/core';
import { AwsImdsProvider } from './imds/aws-imds-provider.js';
import type { AwsImdsOptions } from './imds/imds-options.js';
import { AWS_IMDS_OPTIONS } from './imds/imds-options.js';

/**
 * Adds the AWS IMDS dialect to a container: its options, and the provider under the
 * `TOKENS.MetadataProvider` multi-token as a singleton, so the instance the server mounts is the
 * one the agent starts and stops. The container must already provide CredentialBroker,
 * TOKENS.InstanceFacts, TOKENS.Clock and TOKENS.Logger.
 */
export function registerAwsImds(container: DependencyContainer, options: AwsImdsOptions): void {
  container.register(AWS_IMDS_OPTIONS, { useValue: options });
  container.register(
    TOKENS.MetadataProvider,
    { useClass: AwsImdsProvider },
    { lifecycle: Lifecycle.Singleton },
  );
}
