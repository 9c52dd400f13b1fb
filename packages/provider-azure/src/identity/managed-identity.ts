import type { InjectionToken } from 'tsyringe';
import type { CredentialSource } from '@guise/core';
import type { AzureAccessToken } from '../entra/azure-access-token.js';

/**
 * One managed identity the machine has, as a VM has a system-assigned identity and any number of
 * user-assigned ones. Clients pick a user-assigned identity by `client_id`, `object_id` or
 * `msi_res_id` (reference/azure-imds.md §0.11); these are the names the operator gives it, stable
 * across the service principals Vault issues behind it.
 */
export interface ManagedIdentity {
  /** For logs and configuration errors. */
  readonly name: string;
  /** Served when a request names no identity (at most one identity may be system-assigned). */
  readonly systemAssigned: boolean;
  /** Echoed as `client_id`; when absent the issued principal's own client id is echoed. */
  readonly clientId?: string;
  readonly objectId?: string;
  /** The ARM resource id of a user-assigned identity (`msi_res_id`). */
  readonly resourceId?: string;
  /** Tokens per resource. */
  readonly tokens: CredentialSource<AzureAccessToken, string>;
}

/** The machine's managed identities, shared by the IMDS and App Service dialects. */
export const AZURE_IDENTITIES: InjectionToken<readonly ManagedIdentity[]> =
  Symbol('guise.azure.Identities');
