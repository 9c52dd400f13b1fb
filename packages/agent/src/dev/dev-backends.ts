import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeAzure, FakeGoogleApis, FakeSts, FakeVault } from '@guise/testkit';
import type { SeededAppRole } from './seed-vault.js';
import { seedVault } from './seed-vault.js';
import type { SeededGcp } from './seed-gcp.js';
import { seedGcp } from './seed-gcp.js';
import type { SeededAzure } from './seed-azure.js';
import { seedAzure } from './seed-azure.js';
import { VaultOperator } from './vault-operator.js';

export const DEV_REGION = 'us-east-1';
const LOOPBACK = '127.0.0.1';

export interface DevBackendsOptions {
  /** Epoch ms: the clock every fake runs on (default Date.now), for tests that move time. */
  readonly now?: () => number;
}

/**
 * Everything `guise dev` stands up behind the agent, seeded: the in-memory Vault, STS, Google
 * APIs and Azure cloud on loopback, each engine configured over Vault's HTTP API as an operator
 * would, and an AppRole whose role_id and wrapped secret_id wait in `workDir`. The same backends
 * serve the agent's tests and the benchmark, so all three exercise one seeding.
 */
export interface DevBackends {
  readonly vault: FakeVault;
  readonly sts: FakeSts;
  readonly google: FakeGoogleApis;
  readonly azureCloud: FakeAzure;
  /** An operator holding the fake Vault's root token, for further seeding. */
  readonly operator: VaultOperator;
  readonly appRole: SeededAppRole;
  readonly gcp: SeededGcp;
  readonly azure: SeededAzure;
  /** The fake Azure cloud's CA as a file (`azure.caFile`, `REQUESTS_CA_BUNDLE`). */
  readonly caFile: string;
  /** Scratch folder of the role-id, secret-id and CA files; removed by `stop()`. */
  readonly workDir: string;
  stop(): Promise<void>;
}

export async function startDevBackends(options: DevBackendsOptions = {}): Promise<DevBackends> {
  // Loaded here, not at the top: the agent's entry points reach this module, and an agent that
  // never runs `guise dev` should not carry an in-memory Vault and STS (≈ 12 MB of RSS).
  const testkit = await import('@guise/testkit');
  const { now } = options;
  const clocked = now && {
    now,
    aws: new testkit.FakeAwsAccount({ now }),
    gcp: new testkit.FakeGcpProject({ now }),
    azure: new testkit.FakeAzureTenant({ now }),
  };
  const vault = await testkit.startFakeVault({ host: LOOPBACK, port: 0, ...clocked });
  const started: Array<{ stop(): Promise<void> }> = [vault];
  const workDir = await mkdtemp(path.join(tmpdir(), 'guise-dev-'));
  const stop = async () => {
    await Promise.all(started.map((backend) => backend.stop()));
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const sts = await testkit.startFakeSts({ account: vault.aws, host: LOOPBACK, port: 0 });
    started.push(sts);
    const google = await testkit.startFakeGoogleApis({
      project: vault.gcp,
      host: LOOPBACK,
      port: 0,
      // google-auth-library signs its grants on the real clock, whatever clock a test moves.
      now: Date.now,
    });
    started.push(google);
    const azureCloud = await testkit.startFakeAzure({
      tenant: vault.azure,
      host: LOOPBACK,
      port: 0,
    });
    started.push(azureCloud);
    const caFile = path.join(workDir, 'azure-ca.pem');
    await writeFile(caFile, azureCloud.caPem);

    const operator = new VaultOperator(vault.url, vault.rootToken);
    const gcp = await seedGcp(operator, { project: vault.gcp.projectId });
    const azure = await seedAzure(operator, {
      tenantId: vault.azure.tenantId,
      subscriptionId: vault.azure.subscriptionId,
    });
    const appRole = await seedVault(operator, {
      accountId: vault.aws.accountId,
      // What an operator creates in IAM for Vault (an IAM user's access key) before configuring it.
      rootKeys: vault.aws.createUserAccessKey('vault-root'),
      stsEndpoint: sts.url,
      region: DEV_REGION,
      workDir,
      extraPolicies: [gcp.policy, azure.policy],
    });
    return { vault, sts, google, azureCloud, operator, appRole, gcp, azure, caFile, workDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
