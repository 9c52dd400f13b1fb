import { GuestInfoReader } from '@guise/core';
import { ConfigError } from '../config/config-error.js';
import type { VaultConfig } from '../config/schema.js';

/**
 * The Vault section with its addresses known: `vault.address: { guestinfo: KEY }` is read here,
 * once at start (vSphere tooling such as vAuth writes `guestinfo.vault.vaultaddr` beside the
 * role_id and secret_id). A missing or malformed value is a configuration problem (exit 2).
 */
export async function resolveVaultAddresses(
  vault: VaultConfig,
  reader = new GuestInfoReader(),
): Promise<VaultConfig> {
  const from = vault.addressFrom;
  if (from === undefined) return vault;
  const value = (await reader.get(from.guestinfo))?.trim();
  if (value === undefined || value === '') {
    throw new ConfigError([`vault.address: guestinfo ${from.guestinfo} is not set on this VM`]);
  }
  if (!/^https?:\/\/[^/]/.test(value) || !URL.canParse(value)) {
    throw new ConfigError([
      `vault.address: guestinfo ${from.guestinfo} holds "${value}", not an http:// or https:// URL`,
    ]);
  }
  return { ...vault, addresses: [value], addressFrom: undefined };
}
