/**
 * A request that Vault answers with an error body `{"errors":[...]}` and `status`
 * (reference/vault-api.md §1.3).
 */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
  ) {
    super(errors.join('; ') || `status ${status}`);
    this.name = 'VaultError';
  }
}

/** 400: `logical.ErrorResponse` from a backend, Vault's default for handler errors. */
export const badRequest = (message: string): VaultError => new VaultError(400, [message]);

/** 403 for a token without the capability (or no token at all). */
export const permissionDenied = (): VaultError => new VaultError(403, ['permission denied']);

/** 403 for a revoked, expired or unknown token (docs/concepts/tokens.mdx "Error Responses"). */
export const invalidToken = (): VaultError =>
  new VaultError(403, ['permission denied', 'invalid token']);

/** 404 `{"errors":[]}`: a missing read or an empty LIST. */
export const notFound = (): VaultError => new VaultError(404, []);

/** 404 for a path no backend route matches (logical.ErrUnsupportedPath). */
export const unsupportedPath = (): VaultError => new VaultError(404, ['unsupported path']);

/** 405 for a route that exists without the requested operation (logical.ErrUnsupportedOperation). */
export const unsupportedOperation = (): VaultError =>
  new VaultError(405, ['unsupported operation']);

/**
 * 500: a handler returned a plain Go error and no response (`RespondErrorCommon` starts at 500
 * when there is no response object), e.g. `past the max TTL, cannot renew` from renew-self.
 */
export const internalError = (message: string): VaultError => new VaultError(500, [message]);

/** Vault's `consts.ErrInvalidWrappingToken`, mapped to 400. */
export const invalidWrappingToken = (): VaultError =>
  badRequest('wrapping token is not valid or does not exist');
