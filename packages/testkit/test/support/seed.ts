import { type AppRoleCredentials, type FakeVault, provisionAppRole } from '../../src/index.js';

const ASSUMED_ROLE = {
  credential_type: 'assumed_role',
  role_arns: ['arn:aws:iam::123456789012:role/Deploy'],
};

/**
 * The tests' standard setup: AWS roles of every credential type, a policy `app` granting the
 * AWS credential paths and `secret/data/app/*`, and an AppRole role `app` with it (20m / 1h).
 */
export function seedVault(vault: FakeVault): Promise<AppRoleCredentials> {
  return provisionAppRole(vault, {
    policies: {
      app: [
        'path "aws/creds/*" { capabilities = ["read", "update"] }',
        'path "aws/sts/+" { capabilities = ["read", "update"] }',
        'path "secret/data/app/*" { capabilities = ["read"] }',
      ].join('\n'),
    },
    awsRoles: {
      deploy: ASSUMED_ROLE,
      legacy: {
        credential_type: 'iam_user',
        policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      },
      federated: {
        credential_type: 'federation_token',
        policy_document:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
      },
      session: { credential_type: 'session_token' },
      nolease: { ...ASSUMED_ROLE, no_lease: true },
    },
    role: { token_policies: 'app', token_ttl: '20m', token_max_ttl: '1h' },
  });
}
