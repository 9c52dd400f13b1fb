import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { JsonLogger, silentLogger } from '@guise/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../src/compose/start-agent.js';
import { startAgent } from '../src/compose/start-agent.js';
import type { AgentConfigInput } from '../src/config/schema.js';
import { parseConfig } from '../src/config/load-config.js';
import { DEMO_ROLE } from '../src/dev/seed-vault.js';
import type { SeededVault } from './support/seeded-agent.js';
import { startSeededVault } from './support/seeded-agent.js';

const SECRET_ID = 'secret-id-that-must-never-be-logged';

/** A loopback port nothing listens on: Vault "down" without touching any other address. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configFor(vaultPort: number, role: string) {
  return parseConfig({
    listen: '127.0.0.1:0',
    vault: {
      address: `http://127.0.0.1:${vaultPort}`,
      auth: {
        approle: { roleId: { value: 'role-id-1' }, secretId: { value: SECRET_ID, wrapped: false } },
      },
    },
    aws: { role: { name: role }, instance: { region: 'eu-central-1' } },
  });
}

const running: RunningAgent[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((agent) => agent.stop()));
});

async function start(role: string, vaultPort: number, lines: string[] = []): Promise<RunningAgent> {
  const logger = new JsonLogger({ level: 'debug', write: (line) => lines.push(line) });
  const agent = await startAgent(configFor(vaultPort, role), { logger });
  running.push(agent);
  return agent;
}

describe('startAgent', () => {
  it('answers while Vault is unreachable: metadata served, credentials 503, nothing secret logged', async () => {
    const lines: string[] = [];
    const agent = await start('app', await closedPort(), lines);
    await agent.ready;

    const listing = await fetch(`${agent.url}/latest/meta-data/iam/security-credentials/`);
    expect(listing.status).toBe(200);
    expect(await listing.text()).toBe('app');
    const region = await fetch(`${agent.url}/latest/meta-data/placement/region`);
    expect(await region.text()).toBe('eu-central-1');
    const credentials = await fetch(`${agent.url}/latest/meta-data/iam/security-credentials/app`);
    expect(credentials.status).toBe(503);

    expect(lines.some((line) => line.includes('"level":"warn"'))).toBe(true);
    expect(lines.join('\n')).not.toContain(SECRET_ID);
  });

  it('runs several agents side by side in one process, each with its own container', async () => {
    const vaultPort = await closedPort();
    const [first, second] = await Promise.all([
      start('first-role', vaultPort),
      start('second-role', vaultPort),
    ]);
    expect(first.url).not.toBe(second.url);
    const list = async (agent: RunningAgent) =>
      (await fetch(`${agent.url}/latest/meta-data/iam/security-credentials/`)).text();
    expect(await list(first)).toBe('first-role');
    expect(await list(second)).toBe('second-role');
  });

  it('stop closes the listener and is idempotent', async () => {
    const agent = await start('app', await closedPort());
    await Promise.all([agent.stop(), agent.stop()]);
    await agent.stop();
    await expect(fetch(`${agent.url}/latest/meta-data/`)).rejects.toThrow();
  });

  it('fails to start, without leaving anything running, when the address is taken', async () => {
    const agent = await start('app', await closedPort());
    const taken = Number(new URL(agent.url).port);
    const config = {
      ...configFor(await closedPort(), 'app'),
      listen: { host: '127.0.0.1', port: taken },
    };
    await expect(
      startAgent(config, { logger: new JsonLogger({ write: () => undefined }) }),
    ).rejects.toMatchObject({ name: 'ListenError', code: 'EADDRINUSE' });
  });
});

describe('startAgent against a Vault seeded as an operator would', () => {
  let seeded: SeededVault;

  beforeAll(async () => {
    seeded = await startSeededVault();
  });
  afterAll(() => seeded?.stop());

  async function credentialsFrom(vaultSection: AgentConfigInput['vault']) {
    const config = parseConfig({
      listen: '127.0.0.1:0',
      vault: vaultSection,
      aws: { role: { name: DEMO_ROLE } },
    });
    const agent = await startAgent(config, { logger: silentLogger });
    running.push(agent);
    await agent.ready;
    const response = await fetch(
      `${agent.url}/latest/meta-data/iam/security-credentials/${DEMO_ROLE}`,
    );
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it('reads role_id and a wrapped secret_id from VAULT_ROLE_ID / VAULT_SECRET_ID when configured as env', async () => {
    const roleId = (await readFile(seeded.files.roleIdFile, 'utf8')).trim();
    const wrappedSecretId = (await readFile(seeded.files.secretIdFile, 'utf8')).trim();
    process.env.VAULT_ROLE_ID = roleId;
    process.env.VAULT_SECRET_ID = wrappedSecretId;
    try {
      const { status, body } = await credentialsFrom({
        address: seeded.vault.url,
        auth: {
          approle: {
            role: DEMO_ROLE,
            roleId: { env: 'VAULT_ROLE_ID' },
            secretId: { env: 'VAULT_SECRET_ID', wrapped: true },
          },
        },
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
    } finally {
      delete process.env.VAULT_ROLE_ID;
      delete process.env.VAULT_SECRET_ID;
    }
  });

  it('uses a token someone else keeps in a file (a Vault Agent sink)', async () => {
    const sink = path.join(seeded.workDir, 'sink-token');
    await writeFile(sink, `${seeded.vault.rootToken}\n`, { mode: 0o600 });
    const { status, body } = await credentialsFrom({
      address: seeded.vault.url,
      auth: { token: { file: sink } },
    });
    expect(status).toBe(200);
    expect(body.AccessKeyId).toMatch(/^ASIA/);
  });
});
