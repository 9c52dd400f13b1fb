import { VaultLoginError, VaultRequestError } from '../errors.js';
import { lookupSelf } from '../token-lookup.js';
import type { VaultClient } from '../vault-client.js';
import type { VaultAuth } from '../vault-response.js';
import type { AuthMethod } from './auth-method.js';
import { FileSecretInput } from './secret-input.js';

/**
 * A token maintained by someone else in a file, typically a Vault Agent file sink
 * (reference/vault-api.md §9). "Logging in" is reading the file and asking Vault what the token is
 * worth; the session calls this again whenever the token stops working, so a token the sink has
 * replaced is picked up.
 */
export class TokenFileAuth implements AuthMethod {
  readonly name = 'tokenFile';
  private readonly file: FileSecretInput;

  constructor(path: string) {
    this.file = new FileSecretInput(path, false);
  }

  async login(client: VaultClient): Promise<VaultAuth> {
    const token = await this.file.read();
    if (token === undefined)
      throw new VaultLoginError(`tokenFile: no token in ${this.file.description}`);
    try {
      return await lookupSelf(client, token);
    } catch (error) {
      if (error instanceof VaultRequestError && error.status === 403) {
        throw new VaultLoginError(
          `tokenFile: the token in ${this.file.description} is expired or revoked; waiting for its writer to replace it`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
