import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCloudSections } from '../src/dev/dev-cloud-sections.js';
import { DEMO_ROLE } from '../src/dev/seed-vault.js';
import { logLines, startGuise } from './support/guise-process.js';
import type { Dialect, SeededVault } from './support/seeded-agent.js';
import { startSeededVault } from './support/seeded-agent.js';

const RECORDER = fileURLToPath(new URL('./support/record-loaded-modules.mjs', import.meta.url));

/**
 * What `guise agent` must not load. An ES module is never unloaded, so whatever the agent loads
 * it carries for its whole life: these decide its idle RSS (the figures are the benchmark's).
 */
const NEVER_LOADED = {
  'the testkit': /\/testkit\/dist\//,
  'the config toolchain (checked in a process of its own)': /\/node_modules\/(yaml|zod)\//,
  'other CLI commands':
    /\/agent\/dist\/(cli\/(dev|doctor|net|ready|credential-process)-command|dev|doctor|net|embed)[/.]/,
  'prom-client without metrics.listen': /\/node_modules\/prom-client\//,
};
const UNLESS_CONFIGURED = {
  gcp: /\/provider-gcp\/dist\/|\/node_modules\/google-auth-library\//,
  azure: /\/provider-azure\/dist\/|\/node_modules\/@azure\//,
};

let dir: string;
let seeded: SeededVault;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guise-footprint-'));
  seeded = await startSeededVault();
});
afterAll(async () => {
  await seeded?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `guise agent` serving `dialects` until it has served an AWS credential; its module URLs. */
async function modulesLoadedServing(dialects: readonly Dialect[]): Promise<string[]> {
  const name = dialects.join('-');
  const config = path.join(dir, `${name}.yaml`);
  const sections: Record<string, unknown> = devCloudSections(seeded);
  await writeFile(
    config,
    JSON.stringify({
      listen: '127.0.0.1:0',
      vault: {
        address: seeded.vault.url,
        auth: {
          approle: {
            roleId: { value: seeded.roleId },
            secretId: { value: seeded.secretId, wrapped: false },
          },
        },
      },
      ...Object.fromEntries(dialects.map((dialect) => [dialect, sections[dialect]])),
    }),
  );
  const record = path.join(dir, `${name}.modules`);
  const agent = await startGuise(['agent', '--config', config], {
    nodeFlags: ['--import', RECORDER],
    env: { RECORD_MODULES_TO: record },
    readyWhen: ({ stderr }) =>
      logLines(stderr).find((line) => line.msg === 'agent listening')?.url as string,
  });
  try {
    // The request path runs too: the Vault login, the credential issue, the IMDS answer.
    const url = `${agent.ready}/latest/meta-data/iam/security-credentials/${DEMO_ROLE}`;
    await expect.poll(async () => (await fetch(url)).status, { timeout: 10_000 }).toBe(200);
  } finally {
    expect((await agent.stop('SIGTERM')).code).toBe(0);
  }
  return (await readFile(record, 'utf8')).split('\n').filter(Boolean);
}

function matching(modules: readonly string[], pattern: RegExp): string[] {
  return modules.filter((url) => pattern.test(url));
}

describe('the modules guise agent loads', () => {
  it('AWS alone: no other provider or its library, no testkit, yaml, zod, prom-client or other command', async () => {
    const modules = await modulesLoadedServing(['aws']);
    // The recorder sees the agent's ES modules and CommonJS ones required by CommonJS.
    expect(matching(modules, /\/provider-aws\/dist\/imds\//)).not.toEqual([]);
    expect(matching(modules, /\/node_modules\/axios\//)).not.toEqual([]);
    for (const [what, pattern] of Object.entries({ ...NEVER_LOADED, ...UNLESS_CONFIGURED })) {
      expect(matching(modules, pattern), what).toEqual([]);
    }
  });

  it('all three dialects: their providers and @azure/identity load, still nothing else', async () => {
    const modules = await modulesLoadedServing(['aws', 'gcp', 'azure']);
    expect(matching(modules, /\/provider-gcp\/dist\//)).not.toEqual([]);
    expect(matching(modules, /\/provider-azure\/dist\//)).not.toEqual([]);
    expect(matching(modules, /\/node_modules\/@azure\/identity\//)).not.toEqual([]);
    // google-auth-library only signs with Vault-issued keys, on the first such token.
    expect(matching(modules, /\/node_modules\/google-auth-library\//)).toEqual([]);
    for (const [what, pattern] of Object.entries(NEVER_LOADED)) {
      expect(matching(modules, pattern), what).toEqual([]);
    }
  });
});
