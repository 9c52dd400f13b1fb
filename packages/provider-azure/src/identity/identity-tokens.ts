import { inject, injectable } from 'tsyringe';
import type { Issued } from '@guise/core';
import { CredentialBroker } from '@guise/core';
import type { AzureAccessToken } from '../entra/azure-access-token.js';
import type { ManagedIdentity } from './managed-identity.js';
import { AZURE_IDENTITIES } from './managed-identity.js';
import type { IdentitySelector, SelectionRefusal } from './select-identity.js';
import { selectIdentity } from './select-identity.js';

/** A token for the identity a request selected, and what the dialects echo about it. */
export interface ServedToken {
  readonly identity: ManagedIdentity;
  readonly issued: Issued<AzureAccessToken>;
  /** The identity's configured client id, else the issued principal's own. */
  readonly clientId: string;
}

/**
 * What both token dialects (IMDS and App Service) do once a request is parsed: select the
 * identity, then get its token for `resource` through the broker (cached per resource, refreshed
 * ahead of expiry). One instance serves both dialects' listeners. Rejects with CredentialUnavailableError when no valid token can be had.
 */
@injectable()
export class IdentityTokens {
  constructor(
    @inject(AZURE_IDENTITIES) private readonly identities: readonly ManagedIdentity[],
    @inject(CredentialBroker) private readonly broker: CredentialBroker,
  ) {
    if (identities.filter((identity) => identity.systemAssigned).length > 1)
      throw new Error('azure: at most one managed identity may be system-assigned');
  }

  /** The identities' names, for logs. */
  names(): string[] {
    return this.identities.map((identity) => identity.name);
  }

  async serve(
    selector: IdentitySelector,
    resource: string,
  ): Promise<ServedToken | SelectionRefusal> {
    const identity = selectIdentity(this.identities, selector);
    if (typeof identity === 'string') return identity;
    const issued = await this.broker.get(identity.tokens, resource);
    return { identity, issued, clientId: identity.clientId ?? issued.value.clientId };
  }

  /** Gets every identity's principal and a token for `resource` before the first client asks. */
  async warm(resource: string): Promise<void> {
    await Promise.all(
      this.identities.map((identity) => this.broker.get(identity.tokens, resource)),
    );
  }
}
