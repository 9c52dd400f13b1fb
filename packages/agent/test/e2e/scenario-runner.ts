import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ClientRun } from './clients.js';
import { runInPrivateNetns, type NetnsSupport } from './netns.js';

/** What scenario.mjs does: which `guise dev` command, in which modes, with which clients. */
export interface ScenarioPlan {
  devArgv: string[];
  modes: { name: string; devFlags: string[] }[];
  clients: ClientRun[];
  startTimeoutMs: number;
  clientTimeoutMs: number;
}

const devInfo = z.object({
  metadataUrl: z.string(),
  vaultAddr: z.string(),
  vaultToken: z.string(),
  stsEndpoint: z.string(),
  region: z.string(),
  accountId: z.string(),
  roles: z.array(z.string()).min(1),
  env: z.record(z.string(), z.string()),
  azure: z
    .object({
      tenantId: z.string(),
      subscriptionId: z.string(),
      identities: z.array(
        z.object({
          name: z.string(),
          systemAssigned: z.boolean(),
          clientId: z.string().optional(),
        }),
      ),
    })
    .optional(),
});

const imdsFacts = z.object({
  tokenStatus: z.number(),
  tokenlessStatus: z.number(),
  instanceId: z.string(),
  availabilityZone: z.string(),
  region: z.string(),
  localIpv4: z.string(),
  roles: z.string(),
  credentials: z.object({
    Code: z.string(),
    Type: z.string(),
    AccessKeyId: z.string(),
    Expiration: z.string(),
  }),
});

/** One client's run as scenario scripts print it (also used by the GCP scenario). */
export const clientResult = z.object({
  id: z.string(),
  argv: z.array(z.string()),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  stdout: z.string(),
  stderr: z.string(),
});
export type ClientResult = z.infer<typeof clientResult>;

/** How `guise dev` ended, as every scenario script prints it (also used by the GCP scenario). */
export const devStopped = z.object({
  type: z.literal('dev-stopped'),
  code: z.number().nullable(),
  signal: z.string().nullable(),
  forced: z.boolean(),
  stopMs: z.number(),
  stderr: z.string(),
});

const record = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dev'), mode: z.string(), info: devInfo }),
  z.object({ type: z.literal('imds'), mode: z.string(), facts: imdsFacts }),
  clientResult.extend({ type: z.literal('client'), mode: z.string() }),
  devStopped.extend({ mode: z.string() }),
]);
type ScenarioRecord = z.infer<typeof record>;

/** Everything one mode of the scenario produced, looked up by what the assertions need. */
export interface ModeOutcome {
  dev: z.infer<typeof devInfo>;
  imds: z.infer<typeof imdsFacts>;
  stopped: Extract<ScenarioRecord, { type: 'dev-stopped' }>;
  client(id: string): ClientResult;
}

/**
 * Runs a scenario script (plain node, inside private namespaces) with `plan` and a fresh HOME for
 * its clients, and parses every line it prints with `schema`. HOME is made and removed here,
 * outside, so that it goes even when the namespace is killed.
 */
export async function runScenarioScript<Record>(
  support: NetnsSupport,
  script: URL,
  plan: object,
  schema: z.ZodType<Record>,
  timeoutMs: number,
  options: { privateMounts?: boolean } = {},
): Promise<Record[]> {
  if (!support.available) throw new Error(`no private network namespace: ${support.reason}`);
  const home = await mkdtemp(join(tmpdir(), 'guise-e2e-home-'));
  const env = { ...process.env, GUISE_E2E_PLAN: JSON.stringify({ ...plan, home }) };
  const run = await runInPrivateNetns(
    support,
    [process.execPath, fileURLToPath(script)],
    env,
    timeoutMs,
    options,
  ).finally(() => rm(home, { recursive: true, force: true }));
  if (run.code !== 0) {
    throw new Error(`scenario failed (${run.code ?? run.signal}):\n${run.stderr}\n${run.stdout}`);
  }
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => schema.parse(JSON.parse(line)));
}

/** Runs scenario.mjs in a private namespace and returns its records, grouped by mode. */
export async function runScenario(
  support: NetnsSupport,
  plan: ScenarioPlan,
  timeoutMs: number,
): Promise<Map<string, ModeOutcome>> {
  const records = await runScenarioScript(
    support,
    new URL('scenario.mjs', import.meta.url),
    plan,
    record,
    timeoutMs,
  );
  return new Map(plan.modes.map(({ name }) => [name, outcomeOf(name, records)]));
}

function outcomeOf(mode: string, records: ScenarioRecord[]): ModeOutcome {
  const ofMode = records.filter((r) => r.mode === mode);
  const only = <T extends ScenarioRecord['type']>(type: T) => {
    const found = ofMode.find((r): r is Extract<ScenarioRecord, { type: T }> => r.type === type);
    if (!found) throw new Error(`scenario printed no "${type}" record for mode ${mode}`);
    return found;
  };
  return {
    dev: only('dev').info,
    imds: only('imds').facts,
    stopped: only('dev-stopped'),
    client(id) {
      const found = ofMode.find((r) => r.type === 'client' && r.id === id);
      if (found?.type !== 'client')
        throw new Error(`scenario ran no client "${id}" in mode ${mode}`);
      return found;
    },
  };
}
