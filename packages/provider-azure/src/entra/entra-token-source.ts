import { ClientSecretCredential } from '@azure/identity';
import type { CredentialBroker, CredentialSource, Issued, Logger } from '@guise/core';
import type { ServicePrincipal } from '../vault/service-principal.js';
import type { AzureAccessToken } from './azure-access-token.js';
import { accessTokenOf } from './jwt-claims.js';
import type { PropagationRetry } from './propagation-retry.js';
import { DEFAULT_PROPAGATION_RETRY, retryThroughPropagation } from './propagation-retry.js';
import { RefusedResourceError, resourceRefusal } from './refused-resource.js';

/** Where the service principal signs in. */
export interface EntraOptions {
  readonly tenantId: string;
  /** Default `https://login.microsoftonline.com`; must be https (MSAL refuses http, §5.2). */
  readonly authorityHost?: string;
  /** Extra trusted CA (PEM) for the authority host, e.g. a test's fake Entra. */
  readonly caPem?: string;
  readonly propagationRetry?: PropagationRetry;
}

/**
 * Entra access tokens per resource, exchanged with `ClientSecretCredential` for the service
 * principal another source (Vault) issues. Two broker credentials make one managed identity:
 * the principal (one, its lease renewed while tokens are being made with it) and its tokens (one
 * per resource, the request key). Asking the broker for the principal on every exchange is what
 * keeps its lease renewed "while in use" and re-issued once renewal no longer extends it.
 */
export class EntraTokenSource implements CredentialSource<AzureAccessToken, string> {
  readonly id: string;

  constructor(
    private readonly broker: CredentialBroker,
    private readonly principals: CredentialSource<ServicePrincipal>,
    private readonly entra: EntraOptions,
    private readonly logger: Logger,
  ) {
    this.id = `entra:${principals.id}`;
  }

  keyOf(resource: string): string {
    return resource;
  }

  async issue(resource: string): Promise<Issued<AzureAccessToken>> {
    const principal = await this.broker.get(this.principals, undefined);
    // Entra's scope for a v1 resource is the resource as given plus `/.default`: a trailing slash
    // stays, so `https://management.core.windows.net/` keeps it in `aud` (§5.1).
    const scope = `${resource}/.default`;
    let refused = 0;
    const token = await retryThroughPropagation(
      () => this.credentialFor(principal.value).getToken(scope),
      this.entra.propagationRetry ?? DEFAULT_PROPAGATION_RETRY,
      (error, delayMs, refusals) => {
        refused = refusals;
        // One line when the wait starts and one when it ends; the retries between are detail.
        const fields = {
          clientId: principal.value.clientId,
          delayMs,
          error: error instanceof Error ? error.message.split('\n')[0] : String(error),
        };
        if (refusals === 1)
          this.logger.info('Entra does not know the service principal yet; retrying', fields);
        else this.logger.debug('Entra still does not know the service principal', fields);
      },
    ).catch((error: unknown) => {
      const refusal = resourceRefusal(error);
      throw refusal ? new RefusedResourceError(resource, refusal, { cause: error }) : error;
    });
    if (refused > 0) {
      this.logger.info('Entra accepts the service principal now', {
        clientId: principal.value.clientId,
        refusals: refused,
      });
    }
    const value = accessTokenOf(token.token);
    // The token's own times: its lifetime is what Entra granted, whatever the agent's clock says.
    return {
      value,
      issuedAt: value.notBeforeSeconds * 1000,
      expiresAt: value.expiresOnSeconds * 1000,
    };
  }

  /**
   * A new credential per exchange: MSAL caches tokens inside the credential and returns the
   * cached one until 5 minutes before expiry (DEFAULT_TOKEN_RENEWAL_OFFSET_SEC, §5.2), which
   * would defeat the broker's refresh ahead of expiry. Instance discovery is off, so nothing but
   * the authority host is contacted (§0.12).
   */
  private credentialFor(principal: ServicePrincipal): ClientSecretCredential {
    return new ClientSecretCredential(
      this.entra.tenantId,
      principal.clientId,
      principal.clientSecret,
      {
        authorityHost: this.entra.authorityHost ?? 'https://login.microsoftonline.com',
        disableInstanceDiscovery: true,
        ...(this.entra.caPem ? { tlsOptions: { ca: this.entra.caPem } } : {}),
      },
    );
  }
}
