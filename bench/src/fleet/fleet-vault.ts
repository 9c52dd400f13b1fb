import type { Clock } from '@guise/core';
import type { AppRoleCredentials, FakeVault } from '@guise/testkit';
import { provisionAppRole, startFakeVault } from '@guise/testkit';

/** The Vault role every agent of the fleet serves (an assumed role: STS, one-hour credentials). */
export const FLEET_AWS_ROLE = 'app';

export interface FleetVault {
  readonly vault: FakeVault;
  /** The AppRole login all agents share, as one image's agents do. */
  readonly login: AppRoleCredentials;
}

/**
 * The testkit's HTTP Vault on the fleet's clock, set up over its API with the root token as an
 * operator would: the AWS engine with one assumed-role role, and AppRole handing out one-hour
 * tokens allowed to ask for its credentials. One-hour tokens make token renewals part of every
 * hour's traffic, as they are with the TTLs Vault's docs suggest for agents.
 */
export async function startFleetVault(clock: Clock): Promise<FleetVault> {
  const vault = await startFakeVault({ now: () => clock.now() });
  const login = await provisionAppRole(vault, {
    policies: {
      'guise-agent': `path "aws/sts/${FLEET_AWS_ROLE}" { capabilities = ["update"] }`,
    },
    awsRoles: {
      [FLEET_AWS_ROLE]: {
        credential_type: 'assumed_role',
        role_arns: ['arn:aws:iam::123456789012:role/FleetRole'],
      },
    },
    role: { token_policies: ['guise-agent'], token_ttl: '1h' },
  });
  return { vault, login };
}
