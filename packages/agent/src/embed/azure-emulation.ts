import { TOKENS } from '@guise/core';
import type { AzureAccessToken, AzureInstanceConfig, ManagedIdentity } from '@guise/provider-azure';
import { registerAzureImds } from '@guise/provider-azure';
import { azureMetadataEnv } from '../sdk-env/metadata-env.js';
import type { CredentialInput, ValueShape } from './credential-input.js';
import { credentialSourceOf, hasStringFields } from './credential-input.js';
import type { EmulatedDialect } from './emulated-dialect.js';

/**
 * One managed identity of the emulated VM, as `ManagedIdentity` but with its tokens given as a
 * fixed token, a callback of the requested resource (e.g. `https://vault.azure.net`), or any
 * CredentialSource. Build an `AzureAccessToken` from a JWT with `accessTokenOf`.
 */
export interface AzureEmulatedIdentity extends Omit<ManagedIdentity, 'tokens'> {
  readonly tokens: CredentialInput<AzureAccessToken, string>;
}

/** The Azure IMDS an emulator serves: the VM's managed identities and its instance document. */
export interface AzureEmulation {
  /** At most one system-assigned; user-assigned ones are picked by client, object or resource id. */
  readonly identities: readonly AzureEmulatedIdentity[];
  /** Served by `/metadata/identity/info`. */
  readonly tenantId?: string;
  /** Lifetime given to static and callback tokens that carry no expiry; default 3600 s. */
  readonly ttlSeconds?: number;
  /** What the VM says about itself (location, subscription, tags, ...). */
  readonly instance?: AzureInstanceConfig;
  /** The resource whose token is fetched for every identity at start; default ARM's. */
  readonly warmResource?: string;
}

const ACCESS_TOKEN: ValueShape<AzureAccessToken> = {
  description:
    'an AzureAccessToken { accessToken, tenantId, objectId, clientId, notBeforeSeconds, expiresOnSeconds } (accessTokenOf(jwt) from @guise/provider-azure builds one)',
  matches: (value): value is AzureAccessToken => {
    if (!hasStringFields(value, ['accessToken', 'tenantId', 'objectId', 'clientId'])) return false;
    const { notBeforeSeconds, expiresOnSeconds } = value as Record<string, unknown>;
    return Number.isFinite(notBeforeSeconds) && Number.isFinite(expiresOnSeconds);
  },
};

/** The Azure IMDS dialect of the emulator. */
export function azureDialect(azure: AzureEmulation): EmulatedDialect {
  return {
    register(scope) {
      const options = {
        ttlSeconds: azure.ttlSeconds,
        clock: scope.resolve(TOKENS.Clock),
        shape: ACCESS_TOKEN,
      };
      registerAzureImds(scope, {
        identities: azure.identities.map(({ tokens, ...identity }) => ({
          ...identity,
          tokens: credentialSourceOf(`azure:${identity.name}`, tokens, options),
        })),
        instance: azure.instance,
        tenantId: azure.tenantId,
        warmResource: azure.warmResource,
      });
    },
    env: azureMetadataEnv,
  };
}
