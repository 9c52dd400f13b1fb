import type { SpawnedChild } from '../children/spawn-child.js';
import type { LoadGenerator, LoadResult } from '../load/load-generator.js';
import type { Scenario } from '../load/scenario.js';
import { startSegmentCount } from './tcp-segments.js';

/** A server under test, already listening on `port`. */
export interface ServerUnderTest {
  readonly name: ServerName;
  readonly port: number;
  readonly child: SpawnedChild;
}

export type ServerName = 'node:http' | 'koa' | 'guise';

export type ConnectionMode = 'keep-alive' | 'close';

/** A bench case with its requests prepared against the running guise. */
export interface PreparedCase {
  readonly name: string;
  readonly dialect: string;
  readonly scenario: Scenario;
}

export interface LoadRow {
  readonly caseName: string;
  readonly dialect: string;
  readonly mode: ConnectionMode;
  readonly server: ServerName;
  readonly result: LoadResult;
  /** Lowest and highest req/s of the rounds: how far apart runs on this machine were. */
  readonly roundsRange: readonly [number, number];
  /** TCP segments (both directions) per answered request in the reported round; absent off Linux. */
  readonly segmentsPerRequest: number | undefined;
  readonly rssBeforeMB: number;
  readonly rssAfterMB: number;
}

export interface LoadSettings {
  readonly connections: number;
  /** Length of one measured round. */
  readonly seconds: number;
  /** Rounds per (case, mode, server); the median round by req/s is reported. */
  readonly rounds: number;
  readonly warmupSeconds: number;
}

/**
 * Every case in both connection modes against every server. The servers take turns round by round
 * within each (case, mode), so that drift of the machine affects all three alike, and the median
 * round is reported: on a small, shared machine single runs of a few seconds vary by tens of
 * percent.
 */
export async function measureLoad(
  generator: LoadGenerator,
  servers: readonly ServerUnderTest[],
  cases: readonly PreparedCase[],
  settings: LoadSettings,
  onRow: (row: LoadRow) => void,
): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const benchCase of cases) {
    for (const mode of ['keep-alive', 'close'] as const) {
      const run = (server: ServerUnderTest, seconds: number) =>
        generator.run({
          host: '127.0.0.1',
          port: server.port,
          scenario: benchCase.scenario,
          connections: settings.connections,
          seconds,
          keepAlive: mode === 'keep-alive',
        });
      for (const server of servers) await run(server, settings.warmupSeconds);
      const rounds = new Map(servers.map((server) => [server, [] as LoadRow[]]));
      for (let round = 0; round < settings.rounds; round += 1) {
        for (const server of servers) {
          const rssBeforeMB = server.child.rssMB();
          const segments = startSegmentCount();
          const result = await run(server, settings.seconds);
          rounds.get(server)?.push({
            caseName: benchCase.name,
            dialect: benchCase.dialect,
            mode,
            server: server.name,
            result,
            roundsRange: [result.requestsPerSecond, result.requestsPerSecond],
            segmentsPerRequest:
              segments && result.requests > 0 ? segments() / result.requests : undefined,
            rssBeforeMB,
            rssAfterMB: server.child.rssMB(),
          });
        }
      }
      for (const serverRows of rounds.values()) {
        const row = medianRound(serverRows);
        rows.push(row);
        onRow(row);
      }
    }
  }
  return rows;
}

/** The round with the median req/s, carrying the range of all rounds. */
export function medianRound(rounds: readonly LoadRow[]): LoadRow {
  const sorted = [...rounds].sort(
    (a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond,
  );
  const median = sorted[Math.floor(sorted.length / 2)];
  const [slowest, fastest] = [sorted[0], sorted[sorted.length - 1]];
  if (!median || !slowest || !fastest) throw new Error('no rounds to take the median of');
  return {
    ...median,
    roundsRange: [slowest.result.requestsPerSecond, fastest.result.requestsPerSecond],
  };
}
