import { randomUUID } from 'node:crypto';
import type { VaultOperator } from './vault-operator.js';

/** The Vault Azure roles `guise dev` serves: one system-assigned, one user-assigned identity. */
export const DEMO_AZURE_SYSTEM_ROLE = 'guise-demo';
export const DEMO_AZURE_USER_ROLE = 'guise-demo-app';

export interface SeedAzureOptions {
  readonly tenantId: string;
  readonly subscriptionId: string;
}

/** What the agent's `azure:` section needs to serve the seeded roles. */
export interface SeededAzure {
  /** The Vault policy granting `read` on the roles' `azure/creds/*` paths. */
  readonly policy: string;
  /** The stable client id clients select the user-assigned identity by (`az login --identity -u`). */
  readonly userClientId: string;
}

/**
 * Sets up Vault's Azure secrets engine as an operator would (vault-api.md §5): the engine, its
 * `config` for the tenant, a dynamic role per identity (a new service principal per lease), and a
 * policy allowing `read` on their `creds` paths.
 */
export async function seedAzure(
  vault: VaultOperator,
  options: SeedAzureOptions,
): Promise<SeededAzure> {
  await vault.write('sys/mounts/azure', { type: 'azure' });
  await vault.write('azure/config', {
    tenant_id: options.tenantId,
    subscription_id: options.subscriptionId,
    // The operator's own service principal, with which Vault creates the dynamic ones.
    client_id: randomUUID(),
    client_secret: randomUUID(),
  });
  const azureRoles = JSON.stringify([
    {
      role_name: 'Reader',
      scope: `/subscriptions/${options.subscriptionId}`,
    },
  ]);
  for (const role of [DEMO_AZURE_SYSTEM_ROLE, DEMO_AZURE_USER_ROLE])
    await vault.write(`azure/roles/${role}`, {
      azure_roles: azureRoles,
      ttl: '1h',
      max_ttl: '24h',
    });
  const policy = 'guise-demo-azure';
  await vault.write(`sys/policies/acl/${policy}`, {
    policy: [DEMO_AZURE_SYSTEM_ROLE, DEMO_AZURE_USER_ROLE]
      .map((role) => `path "azure/creds/${role}" {\n  capabilities = ["read"]\n}\n`)
      .join('\n'),
  });
  return { policy, userClientId: randomUUID() };
}
