import type { VaultClient } from '../vault-client.js';
import type { VaultAuth } from '../vault-response.js';

/** One way of obtaining a Vault token. The session calls it for the first login and every re-login. */
export interface AuthMethod {
  /** Short and stable (`approle`, `tokenFile`): logged, and stored with a persisted token. */
  readonly name: string;
  login(client: VaultClient): Promise<VaultAuth>;
}
