import type { SpawnedChild } from '../children/spawn-child.js';
import type { BenchCase } from '../dialects/bench-dialect.js';
import type { LoadResult } from '../load/run-load.js';
import { runLoad } from '../load/run-load.js';

/** A server under test, already listening on `port`. */
export interface ServerUnderTest {
  readonly name: ServerName;
  readonly port: number;
  readonly child: SpawnedChild;
}

export type ServerName = 'node:http' | 'koa' | 'guise';

export type ConnectionMode = 'keep-alive' | 'close';

export interface LoadRow {
  readonly caseName: string;
  readonly mode: ConnectionMode;
  readonly server: ServerName;
  readonly result: LoadResult;
  /** Lowest and highest req/s of the rounds: how far apart runs on this machine were. */
  readonly roundsRange: readonly [number, number];
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
}

export interface LoadSettings {
  readonly connections: number;
  /** Length of one measured round. */
  readonly durationMs: number;
  /** Rounds per (case, mode, server); the median round by req/s is reported. */
  readonly rounds: number;
  readonly warmupMs: number;
}

/**
 * Every case in both connection modes against every server. The servers take turns round by round
 * within each (case, mode), so that drift of the machine affects all three alike, and the median
 * round is reported: on a small machine where the load generator shares the CPUs with the server,
 * single runs of a few seconds vary by ±30 %.
 */
export async function measureLoad(
  servers: readonly ServerUnderTest[],
  cases: readonly BenchCase[],
  settings: LoadSettings,
  onRow: (row: LoadRow) => void,
): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const benchCase of cases) {
    for (const mode of ['keep-alive', 'close'] as const) {
      const rounds = servers.map((server) => ({
        server,
        rows: [] as Array<Omit<LoadRow, 'roundsRange'>>,
      }));
      for (const server of servers)
        await loadOnce(server, benchCase, mode, settings, settings.warmupMs);
      for (let round = 0; round < settings.rounds; round += 1) {
        for (const { server, rows: serverRows } of rounds) {
          const rssBeforeMiB = server.child.rssMiB();
          const result = await loadOnce(server, benchCase, mode, settings, settings.durationMs);
          serverRows.push({
            caseName: benchCase.name,
            mode,
            server: server.name,
            result,
            rssBeforeMiB,
            rssAfterMiB: server.child.rssMiB(),
          });
        }
      }
      for (const { rows: serverRows } of rounds) {
        serverRows.sort((a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond);
        const median = serverRows[Math.floor(serverRows.length / 2)];
        if (!median) continue;
        const rates = serverRows.map((r) => r.result.requestsPerSecond);
        const row: LoadRow = { ...median, roundsRange: [Math.min(...rates), Math.max(...rates)] };
        rows.push(row);
        onRow(row);
      }
    }
  }
  return rows;
}

function loadOnce(
  server: ServerUnderTest,
  benchCase: BenchCase,
  mode: ConnectionMode,
  settings: LoadSettings,
  durationMs: number,
): Promise<LoadResult> {
  return runLoad({
    host: '127.0.0.1',
    port: server.port,
    scenario: benchCase.scenario,
    connections: settings.connections,
    durationMs,
    keepAlive: mode === 'keep-alive',
  });
}
