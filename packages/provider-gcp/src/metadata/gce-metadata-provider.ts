import type { Middleware } from 'koa';
import { inject, injectable } from 'tsyringe';
import type { Clock, InstanceFacts, Logger, MetadataProvider } from '@guise/core';
import { CredentialBroker, TOKENS } from '@guise/core';
import { GCE_MIN_REMAINING_MS } from '../service-accounts/token-endpoint.js';
import type { GceMetadataOptions } from './gce-options.js';
import { GCE_METADATA_OPTIONS } from './gce-options.js';
import { gceMiddleware } from './gce-router.js';
import { buildGceTree } from './gce-tree.js';
import { resolveInstance } from './instance-config.js';
import { MetadataStore } from './metadata-store.js';
import { gcePathClass } from './path-class.js';
import { HangingGets } from './wait-for-change.js';

/** Google's emulator notes "500 max hanging gets" (§1.2). */
const DEFAULT_MAX_HANGING_GETS = 500;

/**
 * The GCE metadata server for one VM and its service account. Facts and configuration are
 * rendered into a tree at construction (instance attributes may change later, waking
 * `wait_for_change`); tokens and ID tokens are fetched per request through the broker, which
 * keeps them cached until they have 5 minutes left, as GCE does.
 */
@injectable()
export class GceMetadataProvider implements MetadataProvider {
  readonly name = 'gce-metadata';
  private readonly handler: Middleware;
  private readonly store: MetadataStore;
  private readonly log: Logger;

  constructor(
    @inject(GCE_METADATA_OPTIONS) private readonly options: GceMetadataOptions,
    @inject(CredentialBroker) private readonly broker: CredentialBroker,
    @inject(TOKENS.InstanceFacts) facts: InstanceFacts,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    this.log = logger.child({ component: 'gce-metadata' });
    const { project, serviceAccount } = options;
    if (!/^\d+$/.test(project.numericProjectId)) {
      throw new Error(`gce-metadata: numericProjectId "${project.numericProjectId}" is not digits`);
    }
    const instance = resolveInstance(options.instance ?? {}, project, facts);
    this.store = new MetadataStore(
      (attributes) =>
        buildGceTree({
          instance: { ...instance, attributes: { ...attributes } },
          project,
          universeDomain: options.universeDomain ?? 'googleapis.com',
          serviceAccount: {
            email: serviceAccount.email,
            scopes: serviceAccount.scopes,
            hasIdentity: serviceAccount.identity !== undefined,
          },
        }),
      instance.attributes,
    );
    this.handler = gceMiddleware({
      store: this.store,
      account: serviceAccount,
      broker,
      clock,
      hanging: new HangingGets(options.maxHangingGets ?? DEFAULT_MAX_HANGING_GETS),
      logger: this.log,
    });
  }

  middleware(): Middleware {
    return this.handler;
  }

  pathClass(path: string): string {
    return gcePathClass(path);
  }

  /** Sets or (with `undefined`) deletes a custom instance attribute; wakes `wait_for_change`. */
  setInstanceAttribute(key: string, value: string | undefined): void {
    this.store.setInstanceAttribute(key, value);
  }

  /**
   * Fetches the default token before the first client asks and keeps it fresh from then on.
   * Vault being down does not stop the start: clients get 503 until a token arrives.
   */
  async start(): Promise<void> {
    const { email, token } = this.options.serviceAccount;
    try {
      const issued = await this.broker.warm(token, undefined, {
        minRemainingMs: GCE_MIN_REMAINING_MS,
      });
      this.log.info('service account token ready', {
        account: email,
        expiresAt: new Date(issued.expiresAt).toISOString(),
      });
    } catch (error) {
      this.log.warn('service account token not available yet; retrying in the background', {
        account: email,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
