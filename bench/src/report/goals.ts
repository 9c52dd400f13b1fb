import type { ColdPathFigures } from '../measure/measure-cold-path.js';
import type { LoadRow } from '../measure/measure-load.js';
import type { StartupFigures } from '../measure/measure-startup.js';

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

/** AWS IMDS's throttle, about 1,024 packets/s per interface (reference/aws-imds.md §1.5). */
const IMDS_PACKETS_PER_SECOND = 1_024;
const IDLE_RSS_LIMIT_MIB = 70;

export function rowOf(
  rows: readonly LoadRow[],
  caseName: string,
  mode: LoadRow['mode'],
  server: LoadRow['server'],
): LoadRow | undefined {
  return rows.find((r) => r.caseName === caseName && r.mode === mode && r.server === server);
}

/** The goals of issue 5, each checked against this run's figures. */
export function evaluateGoals(
  rows: readonly LoadRow[],
  startup: StartupFigures,
  cold: readonly ColdPathFigures[],
): Goal[] {
  const goals: Goal[] = [];
  const caseNames = [...new Set(rows.map((r) => r.caseName))];
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  for (const caseName of caseNames) {
    const guiseKa = rowOf(rows, caseName, 'keep-alive', 'guise');
    const koaKa = rowOf(rows, caseName, 'keep-alive', 'koa');
    const guiseClose = rowOf(rows, caseName, 'close', 'guise');
    const httpClose = rowOf(rows, caseName, 'close', 'node:http');
    const koaClose = rowOf(rows, caseName, 'close', 'koa');
    if (guiseKa && koaKa) {
      const ratio = guiseKa.result.requestsPerSecond / koaKa.result.requestsPerSecond;
      goals.push({
        goal: `${caseName}: req/s within 10 % of bare Koa, keep-alive`,
        measured: pct(ratio),
        met: ratio >= 0.9,
      });
    }
    if (guiseClose && httpClose) {
      const ratio = guiseClose.result.requestsPerSecond / httpClose.result.requestsPerSecond;
      goals.push({
        goal: `${caseName}: req/s ≥ 80 % of bare node:http, Connection: close`,
        measured: pct(ratio),
        met: ratio >= 0.8,
      });
    }
    for (const [guise, koa] of [
      [guiseKa, koaKa],
      [guiseClose, koaClose],
    ] as const) {
      if (!guise || !koa) continue;
      const ratio = guise.result.p99 / koa.result.p99;
      goals.push({
        goal: `${caseName}: p99 ≤ 2× bare Koa, ${guise.mode}`,
        measured: `${guise.result.p99.toFixed(2)} ms vs ${koa.result.p99.toFixed(2)} ms (${ratio.toFixed(2)}×)`,
        met: ratio <= 2,
      });
    }
    if (guiseClose) {
      const target = IMDS_PACKETS_PER_SECOND * 20;
      goals.push({
        goal: `${caseName}: > 20× AWS IMDS's ~1,024 packets/s (${target} req/s, counting one packet per request)`,
        measured: `${guiseClose.result.requestsPerSecond.toFixed(0)} req/s with Connection: close`,
        met: guiseClose.result.requestsPerSecond >= target,
      });
    }
  }
  goals.push({
    goal: `idle RSS ≤ ${IDLE_RSS_LIMIT_MIB} MB with the AWS dialect alone`,
    measured: `${startup.idleRssMiB.toFixed(1)} MiB`,
    met: startup.idleRssMiB <= IDLE_RSS_LIMIT_MIB,
  });
  for (const c of cold) {
    goals.push({
      goal: `${c.dialect}: ${c.concurrent} concurrent first requests → 1 Vault issue`,
      measured: `${c.vaultIssues} issue(s); answers ${JSON.stringify(c.statuses)}`,
      met: c.vaultIssues === 1,
    });
  }
  return goals;
}
