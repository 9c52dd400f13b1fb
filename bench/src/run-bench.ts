import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendInfo } from './children/child-messages.js';
import type { SpawnedChild } from './children/spawn-child.js';
import { spawnChild } from './children/spawn-child.js';
import { DIALECTS } from './dialects/dialects.js';
import { simulateFleet } from './fleet/simulate-fleet.js';
import { captureResponses } from './measure/capture-responses.js';
import { freeLoopbackPort } from './measure/free-port.js';
import { measureColdPath } from './measure/measure-cold-path.js';
import type { LoadSettings, ServerUnderTest } from './measure/measure-load.js';
import { measureLoad } from './measure/measure-load.js';
import { measureStartup } from './measure/measure-startup.js';
import { startAgentChild } from './measure/start-agent-child.js';
import { loadTable, renderBenchmarks } from './report/benchmark-report.js';
import { evaluateGoals } from './report/goals.js';
import { PORT_ENV, REPLAY_ENV } from './servers/replay-table.js';

/**
 * `npm run bench [-- --seconds N] [--rounds N] [--profile]`: load, cold path, start-up, memory and fleet
 * figures in one bounded run (about two minutes with the defaults), printed and written to
 * docs/BENCHMARKS.md. `--profile` starts the measured agent with `--cpu-prof` (bench/profiles/).
 */
const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    profile: { type: 'boolean', default: false },
  },
});
const settings: LoadSettings = {
  connections: Number(flags.connections),
  durationMs: Number(flags.seconds) * 1000,
  rounds: Number(flags.rounds),
  warmupMs: 1000,
};
const root = new URL('../../', import.meta.url);
const profileDir = fileURLToPath(new URL('bench/profiles/', root));

const backendChild = spawnChild('backend-main');
const children: SpawnedChild[] = [backendChild];
try {
  const { backend } = await backendChild.next('backend');
  console.log('start-up and idle memory ...');
  const aws = DIALECTS.filter((d) => d.name === 'aws');
  const startup = await measureStartup(backend, aws);
  console.log('cold path ...');
  const cold = [];
  for (const dialect of DIALECTS) cold.push(await measureColdPath(backend, backendChild, dialect));

  const servers = await startServers(backend);
  children.push(...servers.map((s) => s.child));
  const cases = DIALECTS.flatMap((d) => d.cases(backend));
  console.log('load ...');
  const rows = await measureLoad(servers, cases, settings, (row) =>
    console.log(
      `  ${row.caseName} | ${row.mode} | ${row.server}: ${row.result.requestsPerSecond.toFixed(0)} req/s, p99 ${row.result.p99.toFixed(2)} ms`,
    ),
  );
  for (const server of servers) await server.child.stop();

  console.log('fleet simulation (1,000 agents × 24 h) ...');
  const fleet = await simulateFleet({ agents: 1000, hours: 24 });
  const goals = evaluateGoals(rows, startup, cold);
  const markdown = renderBenchmarks({ settings, rows, startup, cold, fleet, goals });
  console.log('\n' + loadTable(rows) + '\n');
  for (const goal of goals)
    console.log(`${goal.met ? 'met    ' : 'NOT MET'}  ${goal.goal}: ${goal.measured}`);
  await mkdir(new URL('docs/', root), { recursive: true });
  await writeFile(new URL('docs/BENCHMARKS.md', root), markdown);
  console.log('\nwritten to docs/BENCHMARKS.md');
  if (flags.profile) console.log(`CPU profile of the agent in ${profileDir}`);
} finally {
  for (const child of children) await child.stop();
}

/** The two baselines replaying what guise answers, and guise itself, all listening on loopback. */
async function startServers(backend: BackendInfo): Promise<ServerUnderTest[]> {
  const execArgv = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const agent = await startAgentChild(backend, DIALECTS, execArgv);
  await agent.next('ready');
  const captured = await captureResponses(
    agent.port,
    DIALECTS.flatMap((d) => d.cases(backend)),
  );
  const baseline = async (name: ServerUnderTest['name'], entry: string) => {
    const port = await freeLoopbackPort();
    const child = spawnChild(entry, {
      env: { [REPLAY_ENV]: JSON.stringify(captured), [PORT_ENV]: String(port) },
    });
    await child.next('ready');
    return { name, port, child };
  };
  return [
    await baseline('node:http', 'bare-http-main'),
    await baseline('koa', 'bare-koa-main'),
    { name: 'guise', port: agent.port, child: agent },
  ];
}
