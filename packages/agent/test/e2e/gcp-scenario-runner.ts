import { z } from 'zod';
import type { GcpClientRun } from './gcp-clients.js';
import type { NetnsSupport } from './netns.js';
import {
  clientResult,
  devStopped,
  runScenarioScript,
  type ClientResult,
} from './scenario-runner.js';

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
  devStopped,
]);
type GcpRecord = z.infer<typeof record>;

export interface GcpOutcome {
  dev: z.infer<typeof devInfo>;
  gce: z.infer<typeof gceFacts>;
  stopped: Extract<GcpRecord, { type: 'dev-stopped' }>;
  client(id: string): ClientResult;
}

/** Runs scenario-gcp.mjs in private network, PID and mount namespaces and returns its records. */
export async function runGcpScenario(
  support: NetnsSupport,
  plan: GcpScenarioPlan,
  timeoutMs: number,
): Promise<GcpOutcome> {
  const records = await runScenarioScript(
    support,
    new URL('scenario-gcp.mjs', import.meta.url),
    plan,
    record,
    timeoutMs,
    { privateMounts: true },
  );
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
