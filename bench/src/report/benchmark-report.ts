import type { FleetFigures } from '../fleet/simulate-fleet.js';
import type { LoadGenerator } from '../load/load-generator.js';
import type { ColdPathFigures } from '../measure/measure-cold-path.js';
import type { LoadRow, LoadSettings } from '../measure/measure-load.js';
import type { StartupFigures } from '../measure/measure-startup.js';
import type { NetworkNamespace } from '../netns/private-network.js';
import type { Goal } from './goals.js';
import { rowOf } from './goals.js';
import { describeMachine } from './machine.js';
import { markdownTable } from './markdown-table.js';
import { deployedNodeOptions } from '../measure/start-agent-child.js';

export interface BenchmarkReport {
  readonly settings: LoadSettings;
  readonly generator: LoadGenerator;
  /** Why the fallback generator was used, when it was. */
  readonly generatorWarning: string | undefined;
  readonly network: NetworkNamespace;
  /** `os.loadavg()` when the run began. */
  readonly loadAtStart: readonly number[];
  readonly rows: readonly LoadRow[];
  readonly startups: readonly StartupFigures[];
  readonly cold: readonly ColdPathFigures[];
  readonly fleet: FleetFigures;
  readonly goals: readonly Goal[];
}

const ms = (x: number) => x.toFixed(2);

/** The load table: one line per (case, mode, server), with each server's ratios to both baselines. */
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
      'status ≥ 400',
      'segments/req',
      'RSS MB before→after',
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
        String(row.result.httpErrors),
        row.segmentsPerRequest?.toFixed(2) ?? '—',
        `${row.rssBeforeMB.toFixed(1)}→${row.rssAfterMB.toFixed(1)}`,
      ];
    }),
  );
}

/** The goals as a table; also what the console shows at the end of a run. */
export function goalsTable(goals: readonly Goal[]): string {
  return markdownTable(
    ['goal', 'measured', 'verdict'],
    goals.map((g) => [g.goal, g.measured, g.verdict === 'not met' ? '**not met**' : g.verdict]),
  );
}

function describeRun(report: BenchmarkReport): string[] {
  const { settings, generator, network } = report;
  return [
    `- Load generator: ${generator.name}. Latency runs from the write of a request on a connected socket to the end of its answer (a TCP connect is not timed).`,
    `- Load: ${settings.connections} closed-loop connections; per (case, connection, server) ${settings.warmupSeconds} s of warm-up, then ${settings.rounds} round(s) of ${settings.seconds} s with the servers taking turns, the median round (by req/s) shown. Each server is a child process of its own (guise is one Node.js process: one core for JavaScript), all on 127.0.0.1.`,
    network === 'private'
      ? '- Network: a private namespace (`unshare -rn`, loopback only), so the TCP segment counts are this run’s alone.'
      : '- Network: the host’s namespace (`unshare -rn` was unavailable or `--shared-network` was given): the TCP segment counts include any other loopback traffic on this machine during a round.',
    '- Memory in MB = 10^6 bytes (the unit of issue 5’s goals; 70 MB = 66.8 MiB).',
    `- guise runs as \`guise agent\` does under deploy/systemd/guise.service: its config checked in a short-lived process of its own, Node options \`${deployedNodeOptions().join(' ') || '(none)'}\` from the unit's NODE_OPTIONS.`,
    ...(report.generatorWarning ? ['', `> **${report.generatorWarning}**`] : []),
  ];
}

export function renderBenchmarks(report: BenchmarkReport): string {
  const { fleet } = report;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/src/run-bench.ts); do not edit by hand.',
    '',
    ...describeMachine(report.loadAtStart),
    ...describeRun(report),
    '',
    '## Goals (issue 5)',
    '',
    'The real services’ limits are compared with guise answering `Connection: close` (what IMDS',
    'clients see). AWS counts packets: guise’s req/s times the TCP segments per request counted',
    'in the same round (both directions, connection set-up and tear-down included). Azure counts',
    'identity requests, with guise’s own emulation of that 20/s throttle turned off.',
    '',
    goalsTable(report.goals),
    '',
    '## Cached credential path',
    '',
    'The baselines answer, from a map, exactly the status, headers and body guise answered to the',
    'same request (captured at the start of the run). IMDS sends `Connection: close` on every',
    'response (reference/aws-imds.md §1.7), and so do the baselines replaying it: with the AWS',
    'dialect, a "keep-alive" client still gets one request per connection from all three servers.',
    'IMDSv2 clients alternate a PUT of a token and a GET carrying a token minted at the start of the',
    "run. The Azure identity throttle (20 requests/s, as IMDS) is off in the benchmark's agents.",
    '"segments/req" counts TCP segments in both directions per answered request, from',
    '/proc/net/snmp (connection set-up and tear-down included); "status ≥ 400" counts complete',
    'answers with an error status, "errors" failed connections, cut answers and timeouts.',
    '',
    'Every client of a case sends the same request, as the SDK processes of a machine do: guise',
    'answers the first of each second in full (Koa, the dialect, the broker) and replays that',
    'answer to the others from its answer cache (core `AnswerCache`, README "How it works"). The',
    'IMDSv2 PUT is replayed too: a token lasts its TTL from the end of the second it was asked in.',
    '',
    loadTable(report.rows),
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
        ...report.startups.flatMap((s) => {
          const dialects = s.dialects.join('+');
          return [
            [
              `${dialects}: process start → first answered request (any status)`,
              `${s.firstAnswerMs.toFixed(0)} ms`,
            ],
            [
              `${dialects}: process start → first ${s.dialects[0]} credential (200)`,
              `${s.firstCredentialMs.toFixed(0)} ms`,
            ],
            [
              `${dialects}: idle RSS (credentials cached, ${s.idleMs / 1000} s idle)`,
              `${s.idleRssMB.toFixed(1)} MB`,
            ],
          ];
        }),
      ],
    ),
    '',
    '## Fleet on a fake clock',
    '',
    `${fleet.agents} agents started in the same instant (a fleet rebooted together), each the`,
    'production chain (AppRole Vault session, Vault AWS source, broker keeping one role warm)',
    `against the testkit's HTTP Vault, ${fleet.hours} simulated hours on one fake clock: one-hour`,
    'STS credentials, one-hour renewable AppRole tokens, default FreshnessPolicy and renewal.',
    'Counts every request Vault answered, by the simulated minute that set it off (one-minute',
    'steps; see bench/src/fleet/simulate-fleet.ts). "Other" is lease renewals, token lookups and',
    `anything else. Simulated in ${(fleet.wallMs / 1000).toFixed(0)} s of real time.`,
    ...(fleet.agents < 1000
      ? ['The issue asks for 1,000 agents; why the benchmark runs fewer: bench/src/run-bench.ts.']
      : []),
    '',
    markdownTable(
      ['measure', 'value'],
      [
        [
          'Vault requests (answered with an error)',
          `${fleet.vaultRequests} (${fleet.failedRequests})`,
        ],
        ['requests per agent-hour', fleet.perAgentHour.total.toFixed(3)],
        ['… logins', fleet.perAgentHour.login.toFixed(3)],
        ['… token renewals', fleet.perAgentHour.tokenRenewal.toFixed(3)],
        ['… credential issues', fleet.perAgentHour.credentialIssue.toFixed(3)],
        ['… other', fleet.perAgentHour.other.toFixed(3)],
        ['requests in the start minute', String(fleet.startMinuteRequests)],
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
