import type { CredentialSource } from '@guise/core';
import type { InjectionToken } from 'tsyringe';
import type { AwsCredentials } from '../aws-credentials.js';

/**
 * What the instance says about itself. Every field is optional: defaults derive from the
 * machine's InstanceFacts (see `instance-config.ts`), so an agent with no configuration still
 * serves a complete, self-consistent tree.
 */
export interface AwsInstanceConfig {
  /** Default `i-` + 17 hex characters of sha256(facts.machineId): stable per machine. */
  instanceId?: string;
  instanceType?: string;
  amiId?: string;
  accountId?: string;
  region?: string;
  /** Default: the region plus `a`. botocore derives the region by dropping its last character. */
  availabilityZone?: string;
  /** Default: derived from the region and zone letter the way AWS spells them (`use1-az1`). */
  availabilityZoneId?: string;
  /** `hostname` and `local-hostname`; default facts.fqdn. */
  hostname?: string;
  localIpv4?: string;
  mac?: string;
  /** `public-ipv4` and `public-hostname` appear in listings only when configured, as on EC2. */
  publicIpv4?: string;
  publicHostname?: string;
  /** Default facts.tags. Served under `tags/instance/` only when `exposeTags` is true. */
  tags?: Record<string, string>;
  exposeTags?: boolean;
  /** Absent: `user-data` answers 404 and is not listed, as on EC2 without user data. */
  userData?: string | Buffer;
  /** `iam/info`; defaults derive from the account id and the role name. */
  instanceProfile?: { arn?: string; id?: string };
}

/**
 * IMDSv2 session tokens (EC2's `HttpTokens`):
 * - `optional`: requests without a token are served (IMDSv1); a token, when sent, must be valid.
 * - `required`: every GET/HEAD needs a valid token, otherwise 401.
 * - `disabled`: the token endpoint answers 403 and token headers are ignored — IMDS as it was
 *   before IMDSv2, for clients that must be seen to fall back to IMDSv1 (SDKs treat a 403 on the
 *   token PUT as "IMDSv2 unavailable", reference/aws-imds.md §3.1, §3.2).
 */
export type ImdsTokenMode = 'optional' | 'required' | 'disabled';

export interface AwsImdsOptions {
  tokens: ImdsTokenMode;
  /** An instance profile holds exactly one role (reference/aws-imds.md §1.10). */
  role: { name: string; source: CredentialSource<AwsCredentials> };
  instance?: AwsInstanceConfig;
}

export const AWS_IMDS_OPTIONS: InjectionToken<AwsImdsOptions> = Symbol('guise.aws.ImdsOptions');
