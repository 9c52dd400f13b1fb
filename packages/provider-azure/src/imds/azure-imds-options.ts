import type { InjectionToken } from 'tsyringe';
import type { AzureInstanceConfig } from './instance/instance-config.js';

export interface AzureImdsOptions {
  readonly instance?: AzureInstanceConfig;
  /** The identities' tenant, served by `/metadata/identity/info`; that path answers 404 without it. */
  readonly tenantId?: string;
  /** Identity requests per second before 429 (IMDS: 20, §0.9). */
  readonly identityRequestsPerSecond?: number;
  /**
   * The resource whose token `start()` fetches for every identity, so that the service principal
   * is issued and known to Entra before the first client asks. Default ARM's,
   * `https://management.azure.com/`.
   */
  readonly warmResource?: string;
}

export const AZURE_IMDS_OPTIONS: InjectionToken<AzureImdsOptions> =
  Symbol('guise.azure.ImdsOptions');
