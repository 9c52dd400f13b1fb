import { devCloudSections, startDevBackends } from '@guise/agent';
import type { ParentMessage } from '../children/child-messages.js';
import { tellParent } from '../children/child-messages.js';

/**
 * The backends of the run, in a process of their own so that their memory and CPU are not counted
 * as guise's: the in-memory Vault, STS, Google APIs and Azure cloud on loopback, seeded as
 * `guise dev` seeds them, plus a reusable (unwrapped) secret_id so that every agent the benchmark
 * starts can log in (the seeded one is wrapped, good for one login).
 */
const backends = await startDevBackends();
const { vault, operator, appRole } = backends;
const reusable = await operator.write<{ secret_id: string }>(
  `auth/approle/role/${appRole.roleName}/secret-id`,
);
const roleId = await operator.read<{ role_id: string }>(
  `auth/approle/role/${appRole.roleName}/role-id`,
);
const secretId = reusable?.data?.secret_id;
if (!secretId || !roleId?.data) throw new Error('could not create a reusable secret_id');

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'count-vault-calls') return;
  // Exact: a prefix would also count `azure/creds/guise-demo-app`, another identity's credential.
  const count = vault.requests.filter((r) => r.path === message.path).length;
  tellParent({ type: 'vault-calls', count });
});
process.on('SIGINT', () => {
  void backends.stop().then(() => process.exit(0));
});
tellParent({
  type: 'backend',
  backend: {
    vaultAddr: vault.url,
    roleId: roleId.data.role_id,
    secretId,
    cloudSections: devCloudSections(backends),
  },
});
