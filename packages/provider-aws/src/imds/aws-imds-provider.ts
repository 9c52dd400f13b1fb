import type { Middleware } from 'koa';
import { inject, injectable } from 'tsyringe';
import type { Clock, InstanceFacts, Logger, MetadataProvider } from '@guise/core';
import { CredentialBroker, TOKENS } from '@guise/core';
import { credentialJsonBytes, iamInfoJson } from './credential-json.js';
import type { AwsImdsOptions } from './imds-options.js';
import { AWS_IMDS_OPTIONS } from './imds-options.js';
import { imdsMiddleware } from './imds-router.js';
import { ImdsTokenStore } from './imds-token-store.js';
import { buildImdsTree } from './imds-tree.js';
import { resolveInstance } from './instance-config.js';
import { leaf } from './metadata-tree.js';
import { imdsPathClass } from './path-class.js';

/** IAM role names: 1–64 of `A-Z a-z 0-9 + = , . @ _ -`. Anything else would break the listing. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * The EC2 instance metadata service (IMDSv1 and IMDSv2) for one instance profile. Facts and
 * configuration are rendered into a tree once, at construction; only the role's credentials are
 * fetched per request, through the broker, which keeps them cached and fresh enough for every
 * SDK (at least 20 minutes left by default: botocore refreshes 15 and the JS SDK 5 minutes early).
 */
@injectable()
export class AwsImdsProvider implements MetadataProvider {
  readonly name = 'aws-imds';
  private readonly handler: Middleware;
  private readonly log: Logger;

  constructor(
    @inject(AWS_IMDS_OPTIONS) private readonly options: AwsImdsOptions,
    @inject(CredentialBroker) private readonly broker: CredentialBroker,
    @inject(TOKENS.InstanceFacts) facts: InstanceFacts,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    this.log = logger.child({ component: 'aws-imds' });
    const { role } = options;
    if (!ROLE_NAME.test(role.name)) {
      throw new Error(
        `aws-imds: "${role.name}" is not a valid IAM role name (1-64 of A-Za-z0-9+=,.@_-)`,
      );
    }
    const instance = resolveInstance(options.instance ?? {}, facts, role.name, this.log);
    const startedAt = clock.now();
    const tree = buildImdsTree({
      instance,
      roleName: role.name,
      credentials: leaf(() => broker.get(role.source, undefined).then(credentialJsonBytes)),
      iamInfo: iamInfoJson({
        arn: instance.instanceProfileArn,
        id: instance.instanceProfileId,
        lastUpdated: startedAt,
      }),
      startedAt,
    });
    this.handler = imdsMiddleware({
      tree,
      tokens: new ImdsTokenStore(clock),
      mode: options.tokens,
      logger: this.log,
    });
  }

  middleware(): Middleware {
    return this.handler;
  }

  pathClass(path: string): string {
    return imdsPathClass(path);
  }

  /**
   * Fetches the role's credential before the first client asks and keeps it fresh from then on.
   * Vault being down is not a reason to refuse to start: the broker keeps retrying with backoff,
   * and clients get 503 until a credential arrives.
   */
  async start(): Promise<void> {
    const { role } = this.options;
    try {
      const issued = await this.broker.warm(role.source, undefined);
      this.log.info('role credential ready', {
        role: role.name,
        expiresAt: new Date(issued.expiresAt).toISOString(),
      });
    } catch (error) {
      this.log.warn('role credential not available yet; retrying in the background', {
        role: role.name,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
