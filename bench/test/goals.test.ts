import { describe, expect, it } from 'vitest';
import type { PublishedLimit } from '../src/dialects/bench-dialect.js';
import type { LoadRow } from '../src/measure/measure-load.js';
import type { StartupFigures } from '../src/measure/measure-startup.js';
import type { Goal } from '../src/report/goals.js';
import { evaluateGoals } from '../src/report/goals.js';

function row(
  caseName: string,
  mode: LoadRow['mode'],
  server: LoadRow['server'],
  requestsPerSecond: number,
  p99: number,
  segmentsPerRequest?: number,
): LoadRow {
  const dialect = caseName.split(' ')[0]?.toLowerCase() ?? '';
  return {
    caseName,
    dialect,
    mode,
    server,
    result: { requests: 1, requestsPerSecond, p50: 1, p99, max: p99, errors: 0, httpErrors: 0 },
    roundsRange: [requestsPerSecond, requestsPerSecond],
    segmentsPerRequest,
    rssBeforeMB: 1,
    rssAfterMB: 1,
  };
}

const LIMITS = new Map<string, PublishedLimit>([
  ['aws', { perSecond: 1_024, unit: 'packets', description: 'IMDS packets' }],
  ['azure', { perSecond: 20, unit: 'requests', description: 'IMDS identity requests' }],
]);

const startup = (dialects: string[], idleRssMB: number): StartupFigures => ({
  dialects,
  firstAnswerMs: 300,
  firstCredentialMs: 350,
  idleRssMB,
  idleMs: 3_000,
});

const find = (goals: readonly Goal[], fragment: string) => {
  const goal = goals.find((g) => g.goal.includes(fragment));
  if (!goal) throw new Error(`no goal mentioning ${fragment}`);
  return goal;
};

describe('evaluateGoals', () => {
  it('compares guise with bare Koa (keep-alive) and bare node:http (close), at the bounds', () => {
    const goals = evaluateGoals({
      rows: [
        row('AWS v1', 'keep-alive', 'node:http', 12_000, 5),
        row('AWS v1', 'keep-alive', 'koa', 10_000, 5),
        row('AWS v1', 'keep-alive', 'guise', 9_000, 10),
        row('AWS v1', 'close', 'node:http', 5_000, 4),
        row('AWS v1', 'close', 'koa', 4_000, 4),
        row('AWS v1', 'close', 'guise', 3_999, 8.1),
      ],
      startups: [],
      cold: [],
      limits: LIMITS,
    });
    expect(find(goals, 'within 10 % of bare Koa')).toMatchObject({
      measured: '90 % (9,000 vs 10,000 req/s)',
      verdict: 'met',
    });
    expect(find(goals, '≥ 80 % of bare node:http').verdict).toBe('not met');
    expect(find(goals, "p99 ≤ 2× bare Koa's, keep-alive").verdict).toBe('met');
    expect(find(goals, "p99 ≤ 2× bare Koa's, close")).toMatchObject({
      measured: '8.10 vs 4.00 ms (2.02×)',
      verdict: 'not met',
    });
  });

  it('counts the AWS limit in packets: req/s × segments per request against 20 × 1,024', () => {
    const goalFor = (rps: number, segments: number | undefined) =>
      find(
        evaluateGoals({
          rows: [row('AWS v1', 'close', 'guise', rps, 1, segments)],
          startups: [],
          cold: [],
          limits: LIMITS,
        }),
        'IMDS packets',
      );
    expect(goalFor(2_048, 10)).toMatchObject({
      goal: 'AWS v1: > 20× IMDS packets, i.e. 20,480 packets/s',
      measured: '2,048 req/s × 10.00 segments/request = 20,480 packets/s (20×)',
      verdict: 'met',
    });
    // One segment per request fewer, and the same req/s no longer reach it.
    expect(goalFor(2_048, 9).verdict).toBe('not met');
    expect(goalFor(2_048, undefined).verdict).toBe('not measured');
  });

  it('counts the Azure limit in requests, from the Connection: close row', () => {
    const goals = evaluateGoals({
      rows: [
        row('Azure token', 'keep-alive', 'guise', 10_000, 1),
        row('Azure token', 'close', 'guise', 399, 1),
      ],
      startups: [],
      cold: [],
      limits: LIMITS,
    });
    expect(find(goals, 'identity requests')).toMatchObject({
      measured: '399 req/s with Connection: close (20×)',
      verdict: 'not met',
    });
  });

  it('sets no limit goal for a dialect without a published limit', () => {
    const goals = evaluateGoals({
      rows: [row('GCP token', 'close', 'guise', 100, 1)],
      startups: [],
      cold: [],
      limits: LIMITS,
    });
    expect(goals.filter((g) => g.goal.includes('20×'))).toEqual([]);
  });

  it('bounds idle RSS by the dialects configured and reports start-up without a target', () => {
    const goals = evaluateGoals({
      rows: [],
      startups: [startup(['aws'], 70.1), startup(['aws', 'gcp', 'azure'], 89.9)],
      cold: [],
      limits: LIMITS,
    });
    expect(find(goals, 'idle RSS ≤ 70 MB, aws')).toMatchObject({
      measured: '70.1 MB',
      verdict: 'not met',
    });
    expect(find(goals, 'idle RSS ≤ 90 MB, aws+gcp+azure').verdict).toBe('met');
    expect(find(goals, 'first answered request, aws+gcp+azure')).toMatchObject({
      measured: '300 ms (first credential 350 ms)',
      verdict: 'no target',
    });
  });

  it('wants exactly one Vault issue per credential on the cold path', () => {
    const cold = (vaultIssues: number) => ({
      dialect: 'azure',
      concurrent: 100,
      vaultIssues,
      statuses: { '200': 100 },
      wallMs: 5,
    });
    const goals = evaluateGoals({
      rows: [],
      startups: [],
      cold: [cold(1), cold(2)],
      limits: LIMITS,
    });
    expect(goals.map((g) => g.verdict)).toEqual(['met', 'not met']);
  });
});
