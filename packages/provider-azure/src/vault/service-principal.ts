/** A service principal's client-credentials pair, as Vault's Azure engine issues it. */
export interface ServicePrincipal {
  readonly clientId: string;
  readonly clientSecret: string;
}
