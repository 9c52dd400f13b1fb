import type { Middleware } from 'koa';
import { inject, injectable } from 'tsyringe';
import type { Clock, InstanceFacts, Logger, MetadataProvider } from '@guise/core';
import { TOKENS } from '@guise/core';
import { IdentityTokens } from '../identity/identity-tokens.js';
import type { AzureImdsOptions } from './azure-imds-options.js';
import { AZURE_IMDS_OPTIONS } from './azure-imds-options.js';
import { imdsMiddleware } from './imds-middleware.js';
import { azureImdsPathClass } from './path-class.js';

/** ARM's resource: what `start()` warms unless told otherwise. */
const ARM_RESOURCE = 'https://management.azure.com/';

/**
 * The Azure Instance Metadata Service for one VM: the instance document rendered from facts and
 * configuration, and managed-identity tokens per resource from each identity's source through
 * core's broker (cached per resource, refreshed ahead of expiry, served from cache while Vault
 * or Entra is down).
 */
@injectable()
export class AzureImdsProvider implements MetadataProvider {
  readonly name = 'azure-imds';
  private readonly handler: Middleware;
  private readonly log: Logger;

  constructor(
    @inject(AZURE_IMDS_OPTIONS) private readonly options: AzureImdsOptions,
    @inject(IdentityTokens) private readonly tokens: IdentityTokens,
    @inject(TOKENS.InstanceFacts) facts: InstanceFacts,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    this.log = logger.child({ component: 'azure-imds' });
    this.handler = imdsMiddleware({ options, tokens: this.tokens, facts, clock, logger: this.log });
  }

  middleware(): Middleware {
    return this.handler;
  }

  pathClass(path: string): string {
    return azureImdsPathClass(path);
  }

  /**
   * Gets every identity's service principal from Vault and a first token with it, so a fresh
   * principal has propagated in Entra before the first client asks. A failure is logged, never
   * thrown: the broker retries, and clients get 500 (which they retry) meanwhile.
   */
  async start(): Promise<void> {
    const resource = this.options.warmResource ?? ARM_RESOURCE;
    try {
      await this.tokens.warm(resource);
      this.log.info('managed identity tokens ready', {
        identities: this.tokens.names(),
      });
    } catch (error) {
      this.log.warn('managed identity tokens not available yet; retrying on demand', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
