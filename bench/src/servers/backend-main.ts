import { DEMO_ROLE, seedVault, VaultOperator } from '@guise/agent';
import { startFakeSts, startFakeVault } from '@guise/testkit';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParentMessage } from '../children/child-messages.js';
import { tellParent } from '../children/child-messages.js';

/**
 * The backends of the run, in a process of their own so that their memory and CPU are not counted
 * as guise's: the testkit's Vault and STS on loopback, seeded as `guise dev` seeds them, plus a
 * reusable (unwrapped) secret_id so that every agent the benchmark starts can log in.
 */
const REGION = 'us-east-1';
const vault = await startFakeVault({ host: '127.0.0.1', port: 0 });
const sts = await startFakeSts({ account: vault.aws, host: '127.0.0.1', port: 0 });
const operator = new VaultOperator(vault.url, vault.rootToken);
const seeded = await seedVault(operator, {
  accountId: vault.aws.accountId,
  rootKeys: vault.aws.createUserAccessKey('vault-root'),
  stsEndpoint: sts.url,
  region: REGION,
  workDir: await mkdtemp(path.join(tmpdir(), 'guise-bench-')),
});
const reusable = await operator.write<{ secret_id: string }>(
  `auth/approle/role/${seeded.roleName}/secret-id`,
);
const roleId = await operator.read<{ role_id: string }>(
  `auth/approle/role/${seeded.roleName}/role-id`,
);
const secretId = reusable?.data?.secret_id;
if (!secretId || !roleId?.data) throw new Error('could not create a reusable secret_id');

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'count-vault-calls') return;
  const count = vault.requests.filter((r) => r.path.startsWith(message.pathPrefix)).length;
  tellParent({ type: 'vault-calls', count });
});
process.on('SIGINT', () => {
  void Promise.all([sts.stop(), vault.stop()]).then(() => process.exit(0));
});
tellParent({
  type: 'backend',
  backend: {
    vaultAddr: vault.url,
    stsEndpoint: sts.url,
    accountId: vault.aws.accountId,
    region: REGION,
    roleName: DEMO_ROLE,
    approleRole: seeded.roleName,
    roleId: roleId.data.role_id,
    secretId,
  },
});
