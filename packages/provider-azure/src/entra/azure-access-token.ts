/**
 * An Entra access token and the claims the Azure dialects render from it. Times are the token's
 * own (`nbf`, `exp`, epoch seconds): `expires_on` must match `exp` (reference/azure-imds.md §1.6).
 */
export interface AzureAccessToken {
  /** The JWT itself. */
  readonly accessToken: string;
  /** `tid`: azure-cli reads it to choose the tenant (reference §0.7). */
  readonly tenantId: string;
  /** `oid`: the service principal's object id. */
  readonly objectId: string;
  /** `appid`: the service principal's client id. */
  readonly clientId: string;
  readonly notBeforeSeconds: number;
  readonly expiresOnSeconds: number;
}
