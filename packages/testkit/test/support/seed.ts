import type { FakeVault } from '../../src/index.js';
import { dataOf, vaultFetch } from './vault-http.js';

/** What a test needs to log in as the application. */
export interface AppRoleSeed {
  readonly roleId: string;
  readonly secretId: string;
}

/**
 * Sets a fake Vault up the way an operator would (all over HTTP with the root token): AppRole at
 * auth/approle, the AWS engine at aws/ with roles of every credential type, a policy `app`
 * granting read on the AWS credential paths, and a role `app` with that policy.
 */
export async function seedVault(vault: FakeVault, role: Record<string, unknown> = {}): Promise<AppRoleSeed> {
  const root = vault.rootToken;
  const call = async (path: string, body: unknown): Promise<void> => {
    const answer = await vaultFetch(vault.url, path, { token: root, body });
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${answer.text}`);
  };
  await call('sys/auth/approle', { type: 'approle' });
  await call('sys/mounts/aws', { type: 'aws' });
  await call('aws/config/root', { access_key: 'AKIAVAULTROOT0000000', secret_key: 'x'.repeat(40), region: 'us-east-1' });
  await call('aws/roles/deploy', { credential_type: 'assumed_role', role_arns: ['arn:aws:iam::123456789012:role/Deploy'] });
  await call('aws/roles/legacy', { credential_type: 'iam_user', policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
  await call('aws/roles/federated', {
    credential_type: 'federation_token',
    policy_document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
  });
  await call('aws/roles/session', { credential_type: 'session_token' });
  await call('aws/roles/nolease', {
    credential_type: 'assumed_role',
    role_arns: ['arn:aws:iam::123456789012:role/Deploy'],
    no_lease: true,
  });
  await call('sys/policies/acl/app', {
    policy: 'path "aws/creds/*" { capabilities = ["read", "update"] }\npath "aws/sts/+" { capabilities = ["read", "update"] }\npath "secret/data/app/*" { capabilities = ["read"] }',
  });
  await call('auth/approle/role/app', { token_policies: 'app', token_ttl: '20m', token_max_ttl: '1h', ...role });
  const roleId = dataOf(await vaultFetch(vault.url, 'auth/approle/role/app/role-id', { token: root }))['role_id'];
  const secretId = dataOf(await vaultFetch(vault.url, 'auth/approle/role/app/secret-id', { token: root, body: {} }))['secret_id'];
  return { roleId: String(roleId), secretId: String(secretId) };
}
