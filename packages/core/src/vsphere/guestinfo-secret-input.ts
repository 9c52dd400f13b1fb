import type { SecretInput } from '../vault/auth/secret-input.js';
import type { GuestInfoReader } from './guestinfo-reader.js';

/**
 * A role_id or secret_id handed to the VM as a guestinfo variable (`guestinfo.vault.secretid`,
 * as vAuth and similar tooling write them; reference/vault-api.md §9). Read afresh on every login,
 * so a secret_id the tooling replaces (after the old one was used up or expired) is picked up by
 * the next login attempt; AppRoleAuth unwraps a wrapped one after its creation-path check.
 *
 * Nothing is deleted after reading: guestinfo belongs to the VM's configuration, which the
 * vSphere side rewrites. What protects a wrapped secret_id there is its single use and short TTL.
 */
export class GuestInfoSecretInput implements SecretInput {
  readonly description: string;

  constructor(
    private readonly key: string,
    private readonly reader: GuestInfoReader,
  ) {
    this.description = `guestinfo ${key}`;
  }

  async read(): Promise<string | undefined> {
    const value = (await this.reader.get(this.key))?.trim();
    return value === '' ? undefined : value;
  }
}
