import type { FleetFigures } from '../fleet/simulate-fleet.js';
import type { ColdPathFigures } from '../measure/measure-cold-path.js';
import type { LoadRow, LoadSettings } from '../measure/measure-load.js';
import type { StartupFigures } from '../measure/measure-startup.js';
import type { Goal } from './goals.js';
import { rowOf } from './goals.js';
import { describeMachine } from './machine.js';
import { markdownTable } from './markdown-table.js';

export interface BenchmarkReport {
  readonly settings: LoadSettings;
  readonly rows: readonly LoadRow[];
  readonly startup: StartupFigures;
  readonly cold: readonly ColdPathFigures[];
  readonly fleet: FleetFigures;
  readonly goals: readonly Goal[];
}

const ms = (x: number) => x.toFixed(2);

/** The load table: one line per (case, mode, server), with guise's ratios to both baselines. */
export function loadTable(rows: readonly LoadRow[]): string {
  return markdownTable(
    [
      'case',
      'connection',
      'server',
      'req/s',
      'rounds min–max',
      'p50 ms',
      'p99 ms',
      'max ms',
      '÷ koa',
      '÷ node:http',
      'errors',
      'non-2xx',
      'RSS MiB before→after',
    ],
    rows.map((row) => {
      const ratio = (server: LoadRow['server']) => {
        const base = rowOf(rows, row.caseName, row.mode, server);
        return base
          ? (row.result.requestsPerSecond / base.result.requestsPerSecond).toFixed(2)
          : '';
      };
      return [
        row.caseName,
        row.mode,
        row.server,
        row.result.requestsPerSecond.toFixed(0),
        row.roundsRange.map((r) => r.toFixed(0)).join('–'),
        ms(row.result.p50),
        ms(row.result.p99),
        ms(row.result.max),
        ratio('koa'),
        ratio('node:http'),
        String(row.result.errors),
        String(row.result.non2xx),
        `${row.rssBeforeMiB.toFixed(1)}→${row.rssAfterMiB.toFixed(1)}`,
      ];
    }),
  );
}

export function renderBenchmarks(report: BenchmarkReport): string {
  const { settings, startup, fleet } = report;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/src/run-bench.ts); do not edit by hand.',
    '',
    ...describeMachine(),
    `- Load: ${settings.connections} closed-loop clients; per (case, connection, server) ${settings.warmupMs / 1000} s of warm-up, then ${settings.rounds} rounds of ${settings.durationMs / 1000} s with the servers taking turns, the median round (by req/s) shown; generator in the parent process, each server in a child process of its own, all on 127.0.0.1.`,
    '',
    '## Goals (issue 5)',
    '',
    markdownTable(
      ['goal', 'measured', 'met'],
      report.goals.map((g) => [g.goal, g.measured, g.met ? 'met' : '**not met**']),
    ),
    '',
    '## Cached credential path',
    '',
    'The baselines answer, from a map, exactly the status, headers and body guise answered to the',
    'same request (captured at the start of the run). IMDS sends `Connection: close` on every',
    'response (reference/aws-imds.md §1.7), and so do the baselines replaying it: with the AWS',
    'dialect, a "keep-alive" client still gets one request per connection from all three servers.',
    'Latency includes the TCP connect whenever a new connection is needed. The load generator is',
    'bench/src/load (raw sockets), not autocannon: autocannon 8 keeps writing into connections the',
    'server closes and then attributes responses to the wrong requests (p50 = 610 ms measured for a',
    'server answering `Connection: close` in microseconds).',
    '',
    loadTable(report.rows),
    '',
    '## What was changed for these figures (issue 5)',
    '',
    '- The credential JSON is rendered once per issued credential, as bytes (it was rendered per',
    "  request, the largest cost of guise's own code), and directory listings once per directory.",
    '- The per-request log middleware is installed only at `debug` level.',
    '- The agent imports the testkit (in-memory Vault and STS) only for `guise dev`: about −9 MiB',
    '  of idle RSS. What remains above the goal is mostly zod (config validation, ≈ 7–10 MiB) and',
    '  node-vault with axios (≈ 11 MiB), both loaded for the whole life of the process.',
    '',
    '## Cold path, start-up, memory',
    '',
    markdownTable(
      ['measure', 'value'],
      [
        ...report.cold.map((c) => [
          `${c.dialect}: ${c.concurrent} concurrent first requests at a fresh agent`,
          `${c.vaultIssues} Vault issue(s), answers ${JSON.stringify(c.statuses)}, last after ${c.wallMs.toFixed(0)} ms`,
        ]),
        [
          'process start → first answered request (any status)',
          `${startup.firstAnswerMs.toFixed(0)} ms`,
        ],
        ['process start → first credential (200)', `${startup.firstCredentialMs.toFixed(0)} ms`],
        [
          'idle RSS, AWS dialect alone (credential cached, 3 s idle)',
          `${startup.idleRssMiB.toFixed(1)} MiB`,
        ],
      ],
    ),
    '',
    '## Fleet on a fake clock',
    '',
    `${fleet.agents} agents' CredentialBrokers started in the same instant (a fleet rebooted together),`,
    `${fleet.hours} simulated hours, 1 h credentials, default FreshnessPolicy, against a counting`,
    'in-process source (why not the HTTP testkit Vault: see bench/src/fleet/simulate-fleet.ts).',
    'Counts credential issues only; Vault token renewals are not part of this figure.',
    '',
    markdownTable(
      ['measure', 'value'],
      [
        ['Vault credential issues', String(fleet.vaultIssues)],
        ['issues per agent-hour', fleet.issuesPerAgentHour.toFixed(3)],
        ['issues in the start minute', String(fleet.startMinuteIssues)],
        ['largest burst in any later minute', String(fleet.largestBurstPerMinute)],
        [
          'client asks checked / served at or below the serving floor',
          `${fleet.servedChecks} / ${fleet.servedTooNearExpiry}`,
        ],
      ],
    ),
    '',
  ].join('\n');
}
