import type { DependencyContainer } from 'tsyringe';
import { Lifecycle } from 'tsyringe';
import { TOKENS } from '@guise/core';
import { GceMetadataProvider } from './metadata/gce-metadata-provider.js';
import type { GceMetadataOptions } from './metadata/gce-options.js';
import { GCE_METADATA_OPTIONS } from './metadata/gce-options.js';

/**
 * Adds the GCE metadata dialect to a container: its options, and the provider under the
 * `TOKENS.MetadataProvider` multi-token as a singleton. Register it **before** AWS's IMDS: GCE
 * claims `/` only for requests with `Metadata-Flavor: Google`, AWS claims it always. The
 * container must already provide CredentialBroker, TOKENS.InstanceFacts, TOKENS.Clock and
 * TOKENS.Logger.
 */
export function registerGceMetadata(
  container: DependencyContainer,
  options: GceMetadataOptions,
): void {
  container.register(GCE_METADATA_OPTIONS, { useValue: options });
  container.register(
    TOKENS.MetadataProvider,
    { useClass: GceMetadataProvider },
    { lifecycle: Lifecycle.Singleton },
  );
}
