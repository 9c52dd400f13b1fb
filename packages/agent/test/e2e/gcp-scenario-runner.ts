import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { GcpClientRun } from './gcp-clients.js';
import { runInPrivateNetns, type NetnsSupport } from './netns.js';
import { clientResult, type ClientResult } from './scenario-runner.js';

/** What scenario-gcp.mjs does: which `guise dev` command, with which clients. */
export interface GcpScenarioPlan {
  devArgv: string[];
  clients: GcpClientRun[];
  startTimeoutMs: number;
  clientTimeoutMs: number;
}

const devInfo = z.object({
  metadataUrl: z.string(),
  gcp: z.object({
    projectId: z.string(),
    projectNumber: z.string(),
    serviceAccount: z.string(),
    googleApis: z.string(),
  }),
});

const gceFacts = z.object({
  tokenStatus: z.number(),
  flavorlessStatus: z.number(),
  flavor: z.string().nullable(),
  projectId: z.string(),
  numericProjectId: z.string(),
  email: z.string(),
  zone: z.string(),
  accessToken: z.string(),
  expiresIn: z.number(),
});

const record = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dev'), info: devInfo }),
  z.object({ type: z.literal('gce'), facts: gceFacts }),
  clientResult.extend({ type: z.literal('client') }),
  z.object({
    type: z.literal('dev-stopped'),
    code: z.number().nullable(),
    signal: z.string().nullable(),
    forced: z.boolean(),
    stopMs: z.number(),
    stderr: z.string(),
  }),
]);
type GcpRecord = z.infer<typeof record>;

export interface GcpOutcome {
  dev: z.infer<typeof devInfo>;
  gce: z.infer<typeof gceFacts>;
  stopped: Extract<GcpRecord, { type: 'dev-stopped' }>;
  client(id: string): ClientResult;
}

const SCENARIO = fileURLToPath(new URL('scenario-gcp.mjs', import.meta.url));

/**
 * Runs scenario-gcp.mjs in private network, PID and mount namespaces and returns its records.
 * The clients' HOME is made and removed here, outside, so that it goes even when the namespace
 * is killed.
 */
export async function runGcpScenario(
  support: NetnsSupport,
  plan: GcpScenarioPlan,
  timeoutMs: number,
): Promise<GcpOutcome> {
  if (!support.available) throw new Error(`no private network namespace: ${support.reason}`);
  const home = await mkdtemp(join(tmpdir(), 'guise-e2e-gcp-home-'));
  const env = { ...process.env, GUISE_E2E_PLAN: JSON.stringify({ ...plan, home }) };
  const run = await runInPrivateNetns(support, [process.execPath, SCENARIO], env, timeoutMs, {
    privateMounts: true,
  }).finally(() => rm(home, { recursive: true, force: true }));
  if (run.code !== 0) {
    throw new Error(`scenario failed (${run.code ?? run.signal}):\n${run.stderr}\n${run.stdout}`);
  }
  const records = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => record.parse(JSON.parse(line)));
  const only = <T extends GcpRecord['type']>(type: T) => {
    const found = records.find((r): r is Extract<GcpRecord, { type: T }> => r.type === type);
    if (!found) throw new Error(`scenario printed no "${type}" record`);
    return found;
  };
  return {
    dev: only('dev').info,
    gce: only('gce').facts,
    stopped: only('dev-stopped'),
    client(id) {
      const found = records.find((r) => r.type === 'client' && r.id === id);
      if (found?.type !== 'client') throw new Error(`scenario ran no client "${id}"`);
      return found;
    },
  };
}
