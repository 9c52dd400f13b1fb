import { CLOUD_PLATFORM_SCOPE } from '../config/gcp-schema.js';
import type { VaultOperator } from './vault-operator.js';

/** The Vault GCP roleset (token) and static account (key, for ID tokens) `guise dev` serves. */
export const DEMO_GCP_ROLESET = 'guise-demo';
export const DEMO_GCP_KEY_ACCOUNT = 'guise-demo-key';

export interface SeededGcp {
  /** The service account Vault created for the roleset. */
  readonly email: string;
  /** The policy allowing both, for the AppRole role `seedVault` creates. */
  readonly policy: string;
}

/**
 * Sets Vault's GCP engine up as README "GCP" describes: a roleset issuing cloud-platform access
 * tokens, a static account on the same service account issuing keys (for ID tokens), and a policy
 * allowing both (the caller gives it to the AppRole role, as `seedAzure`'s).
 */
export async function seedGcp(
  vault: VaultOperator,
  options: { readonly project: string },
): Promise<SeededGcp> {
  await vault.write('sys/mounts/gcp', { type: 'gcp' });
  await vault.write('gcp/config', { ttl: '1h', max_ttl: '24h' });
  await vault.write(`gcp/roleset/${DEMO_GCP_ROLESET}`, {
    secret_type: 'access_token',
    project: options.project,
    bindings: `resource "//cloudresourcemanager.googleapis.com/projects/${options.project}" { roles = ["roles/viewer"] }`,
    token_scopes: [CLOUD_PLATFORM_SCOPE],
  });
  const email = (
    await vault.read<{ service_account_email: string }>(`gcp/roleset/${DEMO_GCP_ROLESET}`)
  )?.data?.service_account_email;
  if (!email) throw new Error('vault did not report the roleset service account');
  await vault.write(`gcp/static-account/${DEMO_GCP_KEY_ACCOUNT}`, {
    secret_type: 'service_account_key',
    service_account_email: email,
  });

  const policy = 'guise-demo-gcp';
  await vault.write(`sys/policies/acl/${policy}`, {
    policy: [
      `path "gcp/roleset/${DEMO_GCP_ROLESET}/token" {\n  capabilities = ["read"]\n}\n`,
      // Keys are created with POST (the agent passes ttl in the body).
      `path "gcp/static-account/${DEMO_GCP_KEY_ACCOUNT}/key" {\n  capabilities = ["update"]\n}\n`,
    ].join('\n'),
  });
  return { email, policy };
}
