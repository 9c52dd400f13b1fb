import type { Clock, FreshnessPolicy, Issued } from '@guise/core';
import {
  CredentialBroker,
  NodeVaultSession,
  appRoleSessionConfig,
  silentLogger,
} from '@guise/core';
import type { AwsCredentials } from '@guise/provider-aws';
import { VaultAwsSource } from '@guise/provider-aws';
import type { AppRoleCredentials } from '@guise/testkit';
import { FLEET_AWS_ROLE } from './fleet-vault.js';

/**
 * One simulated agent: the chain `guise agent` builds for an AWS role — an AppRole Vault session
 * keeping its token alive, the Vault AWS source, and a broker keeping the role's credential warm —
 * with nothing replaced but the clock.
 */
export class FleetAgent {
  private readonly session: NodeVaultSession;
  private readonly source: VaultAwsSource;
  private readonly broker: CredentialBroker;

  constructor(vaultUrl: string, login: AppRoleCredentials, clock: Clock, policy: FreshnessPolicy) {
    this.session = new NodeVaultSession(appRoleSessionConfig(vaultUrl, login), clock, silentLogger);
    this.source = new VaultAwsSource(
      this.session,
      { role: FLEET_AWS_ROLE, endpoint: 'sts' },
      clock,
    );
    this.broker = new CredentialBroker(clock, policy, silentLogger);
  }

  /** Logs in and fetches the role's first credential, as the agent does before it listens. */
  async start(): Promise<void> {
    await this.session.start();
    await this.broker.warm(this.source, undefined);
  }

  /** What a client asking the agent now is served. */
  served(): Promise<Issued<AwsCredentials>> {
    return this.broker.get(this.source, undefined);
  }

  async stop(): Promise<void> {
    await this.broker.shutdown();
    await this.session.close();
  }
}
