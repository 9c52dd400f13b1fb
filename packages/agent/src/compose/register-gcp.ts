import type { DependencyContainer } from 'tsyringe';
import { registerGceMetadata } from '@guise/provider-gcp';
import type { GcpConfig } from '../config/schema.js';
import { gcpServiceAccount } from './gcp-service-account.js';

/**
 * Mounts the GCE metadata dialect, serving the configured service account's tokens from Vault's
 * GCP engine. Must run before `registerAws`: GCE claims `/` only for `Metadata-Flavor: Google`.
 */
export function registerGcp(scope: DependencyContainer, gcp: GcpConfig): void {
  const { project } = gcp;
  registerGceMetadata(scope, {
    project: {
      projectId: project.id,
      numericProjectId: project.number,
      ...(project.attributes ? { attributes: project.attributes } : {}),
    },
    instance: gcp.instance,
    serviceAccount: gcpServiceAccount(scope, gcp).account,
    ...(gcp.universeDomain ? { universeDomain: gcp.universeDomain } : {}),
    ...(gcp.maxHangingGets ? { maxHangingGets: gcp.maxHangingGets } : {}),
  });
}
