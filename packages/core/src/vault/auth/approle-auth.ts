import type { Logger } from '../../log/logger.js';
import { REDACTED } from '../../log/redact.js';
import { describe } from '../../credentials/errors.js';
import { VaultLoginError, VaultRequestError } from '../errors.js';
import type { VaultClient } from '../vault-client.js';
import type { AppRoleAuthConfig } from '../vault-session-config.js';
import type { VaultAuth } from '../vault-response.js';
import type { AuthMethod } from './auth-method.js';
import type { SecretInput } from './secret-input.js';
import { secretInputFrom } from './secret-input.js';

/** Shapes of Vault tokens (`hvs.` since 1.10, `s.` before): what a wrapping token looks like. */
const TOKEN_SHAPE = /^(?:hvs|s)\.[A-Za-z0-9]/;

/** Whether AppRole treats a secret_id `value` as a wrapping token, given the `wrapped` setting. */
export function isWrappedSecretId(value: string, wrapped: boolean | 'auto' = 'auto'): boolean {
  return wrapped === 'auto' ? TOKEN_SHAPE.test(value) : wrapped;
}

/**
 * AppRole login (reference/vault-api.md §2.2). The secret_id may arrive response-wrapped (§2.3):
 * the wrapping token's creation_path is checked with `sys/wrapping/lookup` *before* unwrapping, so a
 * token minted elsewhere (e.g. by someone who can write the file and wants us to log in as their
 * role) is refused without being spent — the validation Vault's response-wrapping docs prescribe.
 */
export class AppRoleAuth implements AuthMethod {
  readonly name = 'approle';
  private readonly mount: string;
  private readonly roleId: SecretInput;
  private readonly secretId: SecretInput | undefined;
  private readonly creationPath: { readonly pattern: RegExp; readonly description: string };
  /**
   * The last secret_id input and what it yielded, kept in memory: a one-shot file is gone after the
   * first read and a wrapping token works once, yet every re-login needs the secret_id again (as
   * Vault Agent does). A new value in the input replaces it.
   */
  private remembered: { readonly input: string; readonly secretId: string } | undefined;

  constructor(
    private readonly config: AppRoleAuthConfig,
    private readonly log: Logger,
  ) {
    this.mount = (config.mount ?? 'approle').replace(/^\/+|\/+$/g, '');
    this.roleId = secretInputFrom(config.roleId);
    this.secretId =
      config.secretId === undefined
        ? undefined
        : secretInputFrom(config.secretId, {
            removeFileAfterReading: config.removeSecretIdFileAfterReading ?? true,
          });
    const role = config.roleName;
    this.creationPath =
      role === undefined
        ? {
            pattern: new RegExp(`^auth/${escapeRegExp(this.mount)}/role/[^/]+/secret-id$`),
            description: `auth/${this.mount}/role/*/secret-id`,
          }
        : {
            pattern: new RegExp(
              `^auth/${escapeRegExp(this.mount)}/role/${escapeRegExp(role)}/secret-id$`,
            ),
            description: `auth/${this.mount}/role/${role}/secret-id`,
          };
  }

  async login(client: VaultClient): Promise<VaultAuth> {
    const roleId = await this.roleId.read();
    if (roleId === undefined) {
      throw new VaultLoginError(
        `approle: no role_id in ${this.roleId.description} (missing or empty)`,
      );
    }
    const secretId =
      this.secretId === undefined ? undefined : await this.currentSecretId(client, this.secretId);
    const answer = await client
      .call({
        method: 'POST',
        path: `auth/${this.mount}/login`,
        body:
          secretId === undefined ? { role_id: roleId } : { role_id: roleId, secret_id: secretId },
      })
      .catch((error: unknown) =>
        Promise.reject(refusal(withoutSecret(error, secretId), this.secretId?.description)),
      );
    if (!answer.auth)
      throw new Error(`vault auth/${this.mount}/login: the answer has no auth block`);
    return answer.auth;
  }

  private async currentSecretId(client: VaultClient, input: SecretInput): Promise<string> {
    const value = await input.read();
    if (value === undefined || value === this.remembered?.input) {
      if (this.remembered) return this.remembered.secretId;
      throw new VaultLoginError(`approle: no secret_id in ${input.description} (missing or empty)`);
    }
    const wrapped = isWrappedSecretId(value, this.config.wrapped);
    const secretId = wrapped ? await this.unwrap(client, value, input.description) : value;
    this.remembered = { input: value, secretId };
    let removed = false;
    try {
      await input.consumed?.();
      removed = input.consumed !== undefined;
    } catch (error) {
      this.log.warn('could not remove the secret_id source after reading it', {
        source: input.description,
        error: describe(error),
      });
    }
    this.log.info('approle secret_id read', {
      source: input.description,
      wrapped,
      consumed: removed,
    });
    return secretId;
  }

  private async unwrap(
    client: VaultClient,
    wrappingToken: string,
    source: string,
  ): Promise<string> {
    const spent = (error: unknown): unknown =>
      error instanceof VaultRequestError && error.status === 400
        ? new VaultLoginError(
            `approle: the wrapped secret_id in ${source} was already unwrapped (if not by this agent, ` +
              `treat it as intercepted) or has expired; deliver a fresh one (${error.errors.join('; ')})`,
            { cause: error },
          )
        : error;

    // Unauthenticated lookup with the token in the body: nothing is spent by asking (§2.3).
    const lookup = await client
      .call<{ creation_path?: string }>({
        method: 'POST',
        path: 'sys/wrapping/lookup',
        body: { token: wrappingToken },
      })
      .catch((error: unknown) => Promise.reject(spent(error)));
    const creationPath = lookup.data?.creation_path ?? '';
    if (!this.creationPath.pattern.test(creationPath)) {
      throw new VaultLoginError(
        `approle: refusing to unwrap the secret_id in ${source}: its wrapping token was created at ` +
          `"${creationPath}", expected ${this.creationPath.description}`,
      );
    }
    // The wrapping token as X-Vault-Token and *no* body: sending both burns the token and loses the
    // value (§2.3).
    const unwrapped = await client
      .call<{ secret_id?: string }>({
        method: 'POST',
        path: 'sys/wrapping/unwrap',
        token: wrappingToken,
      })
      .catch((error: unknown) => Promise.reject(spent(error)));
    const secretId = unwrapped.data?.secret_id;
    if (typeof secretId !== 'string' || secretId === '') {
      throw new VaultLoginError(`approle: the wrapped response in ${source} holds no secret_id`);
    }
    return secretId;
  }
}

/**
 * Vault's login can echo the secret_id (`invalid secret_id "<value>"`, §2.2); such an error would
 * end up in logs and in the session status, so the value is cut out of it.
 */
function withoutSecret(error: unknown, secret: string | undefined): unknown {
  if (!(error instanceof VaultRequestError) || secret === undefined) return error;
  if (!error.errors.some((e) => e.includes(secret))) return error;
  const errors = error.errors.map((e) => e.split(secret).join(REDACTED));
  return new VaultRequestError(error.status, errors, error.path);
}

/** Vault's words for a secret_id it will not take: `invalid role or secret ID` (older: `invalid secret id`). */
const SECRET_ID_REFUSED = /invalid (?:role or )?secret[ _]?id/i;

/**
 * A login refused because of the secret_id (used up, expired, revoked) says what to do about
 * it: retrying the same secret_id cannot work, a fresh one delivered to its source will, since
 * every attempt reads the source again.
 */
function refusal(error: unknown, source: string | undefined): unknown {
  if (!(error instanceof VaultRequestError) || error.status !== 400) return error;
  if (!error.errors.some((e) => SECRET_ID_REFUSED.test(e))) return error;
  return new VaultLoginError(
    `approle: Vault refused the login (${error.errors.join('; ')}): the secret_id` +
      (source === undefined ? '' : ` from ${source}`) +
      ' is used up, expired or revoked, or the role_id is wrong; deliver a fresh secret_id' +
      (source === undefined ? '' : ` to ${source}`) +
      ' (each login attempt reads it again)',
    { cause: error },
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
