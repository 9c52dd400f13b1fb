import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VaultOperator } from './vault-operator.js';

/** The one IAM role `guise dev` serves. */
export const DEMO_ROLE = 'guise-demo';

export interface SeedOptions {
  readonly accountId: string;
  /** The key Vault's AWS engine signs its STS calls with (`aws/config/root`). */
  readonly rootKeys: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly stsEndpoint: string;
  readonly region: string;
  /** Where the role_id and wrapped secret_id are dropped, as provisioning would on a VM. */
  readonly workDir: string;
  /** More policies for the AppRole role (other clouds' engines, seeded before). */
  readonly extraPolicies?: readonly string[];
}

/** What the agent needs to log in as the demo machine. */
export interface SeededAppRole {
  readonly roleName: string;
  /** The AppRole role's token policies (a caller adding roles writes them back with its own). */
  readonly policies: readonly string[];
  readonly roleIdFile: string;
  readonly secretIdFile: string;
}

/**
 * Sets Vault up the way DESIGN.md's chain expects, step by step as an operator would: the AWS
 * engine and a role mapped to an IAM role, a policy allowing that role's paths, an AppRole role
 * with the policy, then a role_id and a response-wrapped secret_id delivered as 0600 files.
 */
export async function seedVault(
  vault: VaultOperator,
  options: SeedOptions,
): Promise<SeededAppRole> {
  const roleArn = `arn:aws:iam::${options.accountId}:role/${DEMO_ROLE}`;

  await vault.write('sys/mounts/aws', { type: 'aws' });
  await vault.write('aws/config/root', {
    access_key: options.rootKeys.accessKeyId,
    secret_key: options.rootKeys.secretAccessKey,
    region: options.region,
    sts_endpoint: options.stsEndpoint,
  });
  await vault.write(`aws/roles/${DEMO_ROLE}`, {
    credential_type: 'assumed_role',
    role_arns: [roleArn],
  });

  // `update` as well as `read`: Vault clients may POST to aws/sts/<role> (to pass a ttl).
  await vault.write(`sys/policies/acl/${DEMO_ROLE}`, {
    policy: [`aws/sts/${DEMO_ROLE}`, `aws/creds/${DEMO_ROLE}`]
      .map((p) => `path "${p}" {\n  capabilities = ["read", "update"]\n}\n`)
      .join('\n'),
  });

  await vault.write('sys/auth/approle', { type: 'approle' });
  // A short token TTL so that a dev session shows token renewal in the logs within the hour.
  const policies = [DEMO_ROLE, ...(options.extraPolicies ?? [])];
  await vault.write(`auth/approle/role/${DEMO_ROLE}`, {
    token_policies: policies,
    token_ttl: '1h',
  });
  const roleId = (await vault.read<{ role_id: string }>(`auth/approle/role/${DEMO_ROLE}/role-id`))
    ?.data?.role_id;
  const wrapped = (await vault.write(`auth/approle/role/${DEMO_ROLE}/secret-id`, {}, '5m'))
    ?.wrap_info?.token;
  if (!roleId || !wrapped)
    throw new Error('vault did not return a role_id and a wrapped secret_id');

  const roleIdFile = path.join(options.workDir, 'role-id');
  const secretIdFile = path.join(options.workDir, 'secret-id');
  await writeFile(roleIdFile, `${roleId}\n`, { mode: 0o600 });
  await writeFile(secretIdFile, `${wrapped}\n`, { mode: 0o600 });
  return { roleName: DEMO_ROLE, policies, roleIdFile, secretIdFile };
}
