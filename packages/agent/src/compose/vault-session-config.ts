import type { VaultAuthConfig, VaultSessionConfig } from '@guise/core';
import type { VaultConfig } from '../config/schema.js';

/** The `vault:` section of the config file, in the terms of core's Vault session. */
export function toVaultSessionConfig(vault: VaultConfig): VaultSessionConfig {
  return {
    addresses: vault.addresses,
    namespace: vault.namespace,
    caFile: vault.caFile,
    tokenStorePath: vault.tokenFile,
    requestTimeoutMs: vault.requestTimeout * 1000,
    auth: toAuthConfig(vault.auth),
  };
}

function toAuthConfig({ approle, token }: VaultConfig['auth']): VaultAuthConfig {
  if (token) return { method: 'tokenFile', path: token.file };
  if (!approle) throw new Error('vault.auth must be checked to hold approle or token before use');
  const { mount, role, roleId, secretId } = approle;
  if (!secretId) return { method: 'approle', mount, roleName: role, roleId };
  const { wrapped, removeAfterReading, ...secretIdInput } = secretId;
  return {
    method: 'approle',
    mount,
    roleName: role,
    roleId,
    secretId: secretIdInput,
    wrapped,
    removeSecretIdFileAfterReading: removeAfterReading,
  };
}
