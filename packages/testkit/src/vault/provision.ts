import type { FakeVault } from './fake-vault.js';

/** What to set up on a fake Vault for an application that logs in with AppRole. */
export interface AppRoleProvision {
  /** ACL policies to write, name → HCL text. */
  readonly policies?: Readonly<Record<string, string>>;
  /** AWS engine roles, name → `aws/roles/:name` fields; the `aws/` engine is enabled if given. */
  readonly awsRoles?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Azure engine roles, name → `azure/roles/:name` fields; the `azure/` engine is enabled and
   * configured for the fake Vault's tenant if given.
   */
  readonly azureRoles?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The AppRole role name (default `app`). */
  readonly roleName?: string;
  /** The role's fields (`token_policies`, `token_ttl`, `secret_id_num_uses`, ...). */
  readonly role?: Readonly<Record<string, unknown>>;
}

export interface AppRoleCredentials {
  readonly roleId: string;
  readonly secretId: string;
}

/**
 * Sets a fake Vault up as an operator would, over its HTTP API with the root token: AppRole at
 * `auth/approle`, the given policies, AWS and Azure roles, one AppRole role; answers the role_id and a
 * fresh secret_id. Meant for tests and `guise dev`; it can run once per fake Vault.
 */
export async function provisionAppRole(
  vault: FakeVault,
  spec: AppRoleProvision = {},
): Promise<AppRoleCredentials> {
  const call = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${vault.url}/v1/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'X-Vault-Token': vault.rootToken },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`fake Vault ${path}: ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as { data?: Record<string, unknown> }).data;
  };
  const roleName = spec.roleName ?? 'app';
  await call('sys/auth/approle', { type: 'approle' });
  for (const [name, text] of Object.entries(spec.policies ?? {}))
    await call(`sys/policies/acl/${name}`, { policy: text });
  if (spec.awsRoles) {
    await call('sys/mounts/aws', { type: 'aws' });
    for (const [name, fields] of Object.entries(spec.awsRoles))
      await call(`aws/roles/${name}`, fields);
  }
  if (spec.azureRoles) {
    await call('sys/mounts/azure', { type: 'azure' });
    await call('azure/config', {
      tenant_id: vault.azure.tenantId,
      subscription_id: vault.azure.subscriptionId,
      client_id: 'vault-operator',
      client_secret: 'vault-operator-secret',
    });
    for (const [name, fields] of Object.entries(spec.azureRoles))
      await call(`azure/roles/${name}`, fields);
  }
  await call(`auth/approle/role/${roleName}`, spec.role ?? {});
  const roleId = (await call(`auth/approle/role/${roleName}/role-id`)) as { role_id: string };
  const secretId = (await call(`auth/approle/role/${roleName}/secret-id`, {})) as {
    secret_id: string;
  };
  return { roleId: roleId.role_id, secretId: secretId.secret_id };
}
