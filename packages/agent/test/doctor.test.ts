import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeVault } from '@guise/testkit';
import { startFakeSts, startFakeVault } from '@guise/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AZURE_SYSTEM_ROLE, seedAzure } from '../src/dev/seed-azure.js';
import { DEMO_GCP_KEY_ACCOUNT, DEMO_GCP_ROLESET, seedGcp } from '../src/dev/seed-gcp.js';
import { DEMO_ROLE, seedVault } from '../src/dev/seed-vault.js';
import { VaultOperator } from '../src/dev/vault-operator.js';
import { runGuise } from './support/guise-process.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('guise doctor against the testkit Vault', () => {
  let vault: FakeVault;
  let stopSts: () => Promise<void>;
  let workDir: string;
  let roleIdFile: string;
  let wrappedSecretIdFile: string;
  let operator: VaultOperator;
  let gcpEmail: string;

  beforeAll(async () => {
    vault = await startFakeVault();
    const sts = await startFakeSts({ account: vault.aws });
    stopSts = sts.stop;
    workDir = await mkdtemp(path.join(tmpdir(), 'guise-doctor-'));
    operator = new VaultOperator(vault.url, vault.rootToken);
    const gcp = await seedGcp(operator, { project: vault.gcp.projectId });
    gcpEmail = gcp.email;
    const azure = await seedAzure(operator, {
      tenantId: vault.azure.tenantId,
      subscriptionId: vault.azure.subscriptionId,
    });
    const seeded = await seedVault(operator, {
      extraPolicies: [gcp.policy, azure.policy],
      accountId: vault.aws.accountId,
      rootKeys: vault.aws.createUserAccessKey('vault-root'),
      stsEndpoint: sts.url,
      region: 'us-east-1',
      workDir,
    });
    roleIdFile = seeded.roleIdFile;
    wrappedSecretIdFile = seeded.secretIdFile;
  });
  afterAll(async () => {
    await Promise.all([stopSts?.(), vault?.stop()]);
    await rm(workDir, { recursive: true, force: true });
  });

  async function plainSecretIdFile(name: string): Promise<string> {
    const answer = await operator.write<{ secret_id: string }>(
      `auth/approle/role/${DEMO_ROLE}/secret-id`,
    );
    const file = path.join(workDir, name);
    await writeFile(file, answer?.data?.secret_id ?? '');
    return file;
  }

  async function configFile(name: string, lines: readonly string[]): Promise<string> {
    const file = path.join(workDir, name);
    await writeFile(file, [...lines, ''].join('\n'));
    return file;
  }

  it('passes every check, and leaves the secret_id file in place', async () => {
    const secretIdFile = await plainSecretIdFile('secret-id-plain');
    const port = await freePort();
    const file = await configFile('good.yaml', [
      `listen: 127.0.0.1:${port}`,
      'vault:',
      `  address: ${vault.url}`,
      `  tokenFile: ${path.join(workDir, 'vault-token')}`,
      `  auth: { approle: { roleId: { file: ${roleIdFile} }, secretId: { file: ${secretIdFile} } } }`,
      `aws: { role: { name: ${DEMO_ROLE} } }`,
    ]);
    const { code, stdout } = await runGuise(['doctor', '--config', file]);
    expect(stdout.trim().split('\n')).toEqual([
      `✓ configuration ${file} is valid`,
      expect.stringMatching(new RegExp(`^✓ vault ${vault.url} answers \\(.+, active\\)$`)),
      expect.stringMatching(/^✓ clock within 30s of Vault's \(-?[01]s\)$/),
      '✓ vault login (approle) succeeded',
      expect.stringMatching(/^✓ vault token is renewable \(ttl (35\d\d|3600)s\)$/),
      `✓ may update aws/sts/${DEMO_ROLE} (AWS role ${DEMO_ROLE})`,
      '✓ listen address 127.0.0.1 is loopback',
      `✓ 127.0.0.1:${port} is free for the agent (it is not running)`,
    ]);
    expect(code).toBe(0);
    expect(existsSync(secretIdFile)).toBe(true);
    // Nothing was persisted over the agent's kept token.
    expect(existsSync(path.join(workDir, 'vault-token'))).toBe(false);
  });

  it('checks the GCP and Azure sources’ paths with the capability each request needs', async () => {
    const secretIdFile = await plainSecretIdFile('secret-id-clouds');
    const file = await configFile('clouds.yaml', [
      `listen: 127.0.0.1:${await freePort()}`,
      'vault:',
      `  address: ${vault.url}`,
      `  tokenFile: ${path.join(workDir, 'vault-token')}`,
      `  auth: { approle: { roleId: { file: ${roleIdFile} }, secretId: { file: ${secretIdFile} } } }`,
      'gcp:',
      `  project: { id: ${vault.gcp.projectId}, number: '${vault.gcp.projectNumber}' }`,
      '  serviceAccount:',
      `    email: ${gcpEmail}`,
      `    token: { vault: { roleset: ${DEMO_GCP_ROLESET} } }`,
      `    identity: { vault: { staticAccount: ${DEMO_GCP_KEY_ACCOUNT} } }`,
      'azure:',
      `  tenantId: ${vault.azure.tenantId}`,
      '  identities:',
      `    - { name: ${DEMO_AZURE_SYSTEM_ROLE}, systemAssigned: true }`,
      // No policy grants this role's path: the doctor must say so.
      '    - { name: unlisted, clientId: 0b7e6f1c-6a43-4f2e-9f0a-2d7c1f3e8a11 }',
    ]);
    const { code, stdout } = await runGuise(['doctor', '--config', file]);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((line) => / may (not )?(read|update) /.test(line))).toEqual([
      `✓ may read gcp/roleset/${DEMO_GCP_ROLESET}/token (GCP service account ${gcpEmail})`,
      `✓ may update gcp/static-account/${DEMO_GCP_KEY_ACCOUNT}/key (GCP service account ${gcpEmail})`,
      `✓ may read azure/creds/${DEMO_AZURE_SYSTEM_ROLE} (Azure identity ${DEMO_AZURE_SYSTEM_ROLE})`,
      '✗ may not read azure/creds/unlisted (Azure identity unlisted); granted: deny — fix: add path "azure/creds/unlisted" { capabilities = ["read"] } to the AppRole role\'s policy',
    ]);
    expect(code).toBe(1);
  });

  it('names what is wrong, with the fix, and exits 1', { timeout: 20_000 }, async () => {
    const secretIdFile = await plainSecretIdFile('secret-id-2');
    // Holds the port without speaking HTTP: every connection is dropped at once.
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    const closedPort = await freePort();
    try {
      const file = await configFile('bad.yaml', [
        `listen: 127.0.0.1:${port}`,
        'vault:',
        `  addresses: [http://127.0.0.1:${closedPort}, ${vault.url}]`,
        `  auth: { approle: { roleId: { file: ${roleIdFile} }, secretId: { file: ${secretIdFile} } } }`,
        `aws: { role: { name: ${DEMO_ROLE}, vault: { role: other } } }`,
      ]);
      const { code, stdout } = await runGuise(['doctor', '--config', file]);
      const lines = stdout.trim().split('\n');
      expect(lines[1]).toMatch(
        new RegExp(
          `^✗ vault http://127\\.0\\.0\\.1:${closedPort} is unreachable: .*ECONNREFUSED.* — fix: check vault\\.address`,
        ),
      );
      expect(lines).toContain(
        `✗ may not update aws/sts/other (AWS role ${DEMO_ROLE}); granted: deny — fix: add path "aws/sts/other" { capabilities = ["update"] } to the AppRole role's policy`,
      );
      expect(lines.at(-1)).toBe(
        `✗ 127.0.0.1:${port} is taken by a program that does not answer HTTP — fix: find it: ss -ltnp 'sport = :${port}'`,
      );
      expect(code).toBe(1);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('tells a standby from the active node: a performance standby passes, a standby whose active node is down fails the login with the right fix', async () => {
    const secretIdFile = await plainSecretIdFile('secret-id-standby');
    const auth = `auth: { approle: { roleId: { file: ${roleIdFile} }, secretId: { file: ${secretIdFile} } } }`;
    vault.faults.performanceStandby = true;
    try {
      const file = await configFile('perf-standby.yaml', [
        `listen: 127.0.0.1:${await freePort()}`,
        `vault: { address: ${vault.url}, ${auth} }`,
        `aws: { role: { name: ${DEMO_ROLE} } }`,
      ]);
      const { code, stdout } = await runGuise(['doctor', '--config', file]);
      expect(stdout).toMatch(
        new RegExp(`✓ vault ${vault.url} answers \\(.+, performance standby\\)`),
      );
      expect(stdout).toContain('✓ vault login (approle) succeeded');
      expect(code).toBe(0);
    } finally {
      vault.faults.performanceStandby = false;
    }

    const standby = await startFakeVault();
    standby.faults.standbyRedirectTo = `http://127.0.0.1:${await freePort()}`;
    try {
      const file = await configFile('standby.yaml', [
        `listen: 127.0.0.1:${await freePort()}`,
        `vault: { address: ${standby.url}, ${auth} }`,
        `aws: { role: { name: ${DEMO_ROLE} } }`,
      ]);
      const { code, stdout } = await runGuise(['doctor', '--config', file]);
      const lines = stdout.trim().split('\n');
      expect(lines[1]).toMatch(new RegExp(`^✓ vault ${standby.url} answers \\(.+, standby\\)$`));
      expect(lines[3]).toMatch(
        /^✗ vault login \(approle\) failed: .*ECONNREFUSED.* — fix: Vault answered its health check but not the login: a standby redirects requests to the active node/,
      );
      expect(code).toBe(1);
    } finally {
      await standby.stop();
    }
  });

  it('never spends a wrapped secret_id: the login is skipped, the token stays unwrapped', async () => {
    const wrapped = (await readFile(wrappedSecretIdFile, 'utf8')).trim();
    const file = await configFile('wrapped.yaml', [
      `listen: 127.0.0.1:${await freePort()}`,
      `vault: { address: ${vault.url}, auth: { approle: { roleId: { file: ${roleIdFile} }, secretId: { file: ${wrappedSecretIdFile} } } } }`,
      `aws: { role: { name: ${DEMO_ROLE} } }`,
    ]);
    const { code, stdout } = await runGuise(['doctor', '--config', file]);
    expect(stdout).toContain(
      `– login not tried: the secret_id in file ${wrappedSecretIdFile} is a single-use wrapping token — fix: start the agent first`,
    );
    expect(code).toBe(0);
    const lookup = await operator.write<{ creation_path: string }>('sys/wrapping/lookup', {
      token: wrapped,
    });
    expect(lookup?.data?.creation_path).toBe(`auth/approle/role/${DEMO_ROLE}/secret-id`);
  });

  it('reports a clock that is off Vault’s', async () => {
    const skewed = await startFakeVault({ now: () => Date.now() + 5 * 60_000 });
    try {
      const file = await configFile('skew.yaml', [
        `listen: 127.0.0.1:${await freePort()}`,
        `vault: { address: ${skewed.url}, auth: { approle: { roleId: { value: r }, secretId: { value: s } } } }`,
        `aws: { role: { name: app } }`,
      ]);
      const { code, stdout } = await runGuise(['doctor', '--config', file]);
      expect(stdout).toMatch(
        /✗ clock is -(299|300|301)s off Vault's — fix: enable time synchronisation/,
      );
      expect(stdout).toContain('✗ vault login (approle) failed');
      expect(code).toBe(1);
    } finally {
      await skewed.stop();
    }
  });

  it('exits 2 with the problems of an invalid configuration', async () => {
    const file = await configFile('invalid.yaml', ['vault: { address: nope }', 'aws: {}']);
    const { code, stdout } = await runGuise(['doctor', '--config', file]);
    expect(code).toBe(2);
    expect(stdout).toContain(`✗ ${file}: vault.address: expected an http:// or https:// URL`);
  });
});
