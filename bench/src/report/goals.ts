import type { PublishedLimit } from '../dialects/bench-dialect.js';
import type { ColdPathFigures } from '../measure/measure-cold-path.js';
import type { LoadRow } from '../measure/measure-load.js';
import type { StartupFigures } from '../measure/measure-startup.js';

/** `no target`: issue 5 asks for the figure without a bound; `not measured`: this machine could not. */
export type Verdict = 'met' | 'not met' | 'no target' | 'not measured';

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly verdict: Verdict;
}

export interface GoalInputs {
  readonly rows: readonly LoadRow[];
  readonly startups: readonly StartupFigures[];
  readonly cold: readonly ColdPathFigures[];
  /** The real services' published limits, by dialect name. */
  readonly limits: ReadonlyMap<string, PublishedLimit>;
}

/** Idle RSS bounds of issue 5, in MB, by the dialects configured (joined with `+`). */
export const IDLE_RSS_LIMITS_MB: Readonly<Record<string, number>> = {
  aws: 70,
  'aws+gcp+azure': 90,
};
/** How far guise on one core is to exceed a real service's published limit. */
const LIMIT_FACTOR = 20;

export function rowOf(
  rows: readonly LoadRow[],
  caseName: string,
  mode: LoadRow['mode'],
  server: LoadRow['server'],
): LoadRow | undefined {
  return rows.find((r) => r.caseName === caseName && r.mode === mode && r.server === server);
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const perSecond = (x: number) => Math.round(x).toLocaleString('en-US');
const verdict = (met: boolean): Verdict => (met ? 'met' : 'not met');

/** The goals of issue 5, each checked against this run's figures. */
export function evaluateGoals(inputs: GoalInputs): Goal[] {
  const { rows, startups, cold, limits } = inputs;
  const goals: Goal[] = [];
  for (const caseName of new Set(rows.map((r) => r.caseName))) {
    goals.push(...throughputGoals(rows, caseName));
    const guiseClose = rowOf(rows, caseName, 'close', 'guise');
    const limit = guiseClose && limits.get(guiseClose.dialect);
    if (guiseClose && limit) goals.push(publishedLimitGoal(guiseClose, limit));
  }
  for (const startup of startups) {
    const dialects = startup.dialects.join('+');
    const limitMB = IDLE_RSS_LIMITS_MB[dialects];
    if (limitMB !== undefined)
      goals.push({
        goal: `idle RSS ≤ ${limitMB} MB, ${dialects}`,
        measured: `${startup.idleRssMB.toFixed(1)} MB`,
        verdict: verdict(startup.idleRssMB <= limitMB),
      });
    goals.push({
      goal: `process start → first answered request, ${dialects}`,
      measured: `${startup.firstAnswerMs.toFixed(0)} ms (first credential ${startup.firstCredentialMs.toFixed(0)} ms)`,
      verdict: 'no target',
    });
  }
  for (const c of cold)
    goals.push({
      goal: `${c.dialect}: ${c.concurrent} concurrent first requests → 1 Vault issue`,
      measured: `${c.vaultIssues} issue(s); answers ${JSON.stringify(c.statuses)}`,
      verdict: verdict(c.vaultIssues === 1),
    });
  return goals;
}

/** guise against the two baselines: req/s with keep-alive and with close, p99 in both modes. */
function throughputGoals(rows: readonly LoadRow[], caseName: string): Goal[] {
  const goals: Goal[] = [];
  const rate = (mode: LoadRow['mode'], server: LoadRow['server']) =>
    rowOf(rows, caseName, mode, server)?.result.requestsPerSecond;
  const ratioGoal = (
    mode: LoadRow['mode'],
    baseline: LoadRow['server'],
    floor: number,
    goal: string,
  ) => {
    const guise = rate(mode, 'guise');
    const base = rate(mode, baseline);
    if (guise === undefined || base === undefined) return;
    goals.push({
      goal: `${caseName}: ${goal}`,
      measured: `${pct(guise / base)} (${perSecond(guise)} vs ${perSecond(base)} req/s)`,
      verdict: verdict(guise / base >= floor),
    });
  };
  ratioGoal('keep-alive', 'koa', 0.9, 'req/s within 10 % of bare Koa, keep-alive');
  ratioGoal('close', 'node:http', 0.8, 'req/s ≥ 80 % of bare node:http, Connection: close');
  for (const mode of ['keep-alive', 'close'] as const) {
    const guise = rowOf(rows, caseName, mode, 'guise');
    const koa = rowOf(rows, caseName, mode, 'koa');
    if (!guise || !koa) continue;
    const ratio = guise.result.p99 / koa.result.p99;
    goals.push({
      goal: `${caseName}: p99 ≤ 2× bare Koa's, ${mode}`,
      measured: `${guise.result.p99.toFixed(2)} vs ${koa.result.p99.toFixed(2)} ms (${ratio.toFixed(2)}×)`,
      verdict: verdict(ratio <= 2),
    });
  }
  return goals;
}

/**
 * guise with `Connection: close` (what IMDS clients do) against twenty times the real service's
 * limit. AWS's is in packets: the requests/s are multiplied by the TCP segments each request
 * took on loopback (connection set-up and tear-down included), counted during the same round.
 */
function publishedLimitGoal(row: LoadRow, limit: PublishedLimit): Goal {
  const target = LIMIT_FACTOR * limit.perSecond;
  const goal = `${row.caseName}: > ${LIMIT_FACTOR}× ${limit.description}, i.e. ${perSecond(target)} ${limit.unit}/s`;
  const rps = row.result.requestsPerSecond;
  if (limit.unit === 'requests')
    return {
      goal,
      measured: `${perSecond(rps)} req/s with Connection: close (${(rps / limit.perSecond).toFixed(0)}×)`,
      verdict: verdict(rps >= target),
    };
  const segments = row.segmentsPerRequest;
  if (segments === undefined)
    return { goal, measured: 'TCP segments not countable here', verdict: 'not measured' };
  const packets = rps * segments;
  return {
    goal,
    measured: `${perSecond(rps)} req/s × ${segments.toFixed(2)} segments/request = ${perSecond(packets)} packets/s (${(packets / limit.perSecond).toFixed(0)}×)`,
    verdict: verdict(packets >= target),
  };
}
