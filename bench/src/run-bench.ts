import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendInfo } from './children/child-messages.js';
import type { SpawnedChild } from './children/spawn-child.js';
import { spawnChild } from './children/spawn-child.js';
import type { PublishedLimit } from './dialects/bench-dialect.js';
import { DIALECTS } from './dialects/dialects.js';
import { simulateFleet } from './fleet/simulate-fleet.js';
import { chooseLoadGenerator } from './load/choose-generator.js';
import { captureResponses } from './measure/capture-responses.js';
import { freeLoopbackPort } from './measure/free-port.js';
import { measureColdPath } from './measure/measure-cold-path.js';
import type { LoadSettings, PreparedCase, ServerUnderTest } from './measure/measure-load.js';
import { measureLoad } from './measure/measure-load.js';
import { measureStartup } from './measure/measure-startup.js';
import type { AgentChild } from './measure/start-agent-child.js';
import { startAgentChild } from './measure/start-agent-child.js';
import { networkNamespace, rerunInPrivateNetwork } from './netns/private-network.js';
import { goalsTable, loadTable, renderBenchmarks } from './report/benchmark-report.js';
import { evaluateGoals } from './report/goals.js';
import { PORT_ENV, REPLAY_ENV } from './servers/replay-table.js';

const USAGE = `Usage: npm run bench [-- --seconds N] [--rounds N] [--connections N] [--profile] [--shared-network]

Load, cold path, start-up, memory and fleet figures of every dialect in one bounded run (about
six minutes with the defaults), printed and written to docs/BENCHMARKS.md (every run rewrites it).

  --seconds N       length of one measured round (default 2)
  --rounds N        rounds per case, mode and server; the median is reported (default 3)
  --connections N   concurrent connections of the load generator (default 32)
  --profile         start the measured agent with --cpu-prof (bench/profiles/)
  --shared-network  stay in the host's network namespace instead of a private one
`;

/**
 * The fleet simulation's size, as the issue asks. Each simulated Vault round trip is a real one on
 * loopback (about 1.3 ms of CPU, client and fake Vault in this one process): 1,000 agents × 24 h
 * took 114 s on a busy two-core machine, 500 took 52 s. Requests per agent-hour do not depend on
 * the fleet's size; the start minute and bursts scale with it.
 */
const FLEET_AGENTS = 1000;

// It re-runs itself in a private network namespace when it can (see netns/private-network.ts).
const flags = parseFlags();
const rerunExit = flags['shared-network'] ? undefined : rerunInPrivateNetwork();
if (rerunExit !== undefined) process.exit(rerunExit);

const settings: LoadSettings = {
  connections: wholeNumber('connections', flags.connections),
  seconds: wholeNumber('seconds', flags.seconds),
  rounds: wholeNumber('rounds', flags.rounds),
  warmupSeconds: 1,
};
const root = new URL('../../', import.meta.url);
const profileDir = fileURLToPath(new URL('bench/profiles/', root));
const loadAtStart = os.loadavg();
const { generator, warning } = chooseLoadGenerator();
const warn = () => warning && console.warn(`\n!!! ${warning}\n`);
warn();
console.log(`load generator: ${generator.name}; network namespace: ${networkNamespace()}`);

const backendChild = spawnChild('backend-main');
const children: SpawnedChild[] = [backendChild];
try {
  const { backend } = await backendChild.next('backend');
  console.log('start-up and idle memory ...');
  const startups = [
    await measureStartup(
      backend,
      DIALECTS.filter((d) => d.name === 'aws'),
    ),
    await measureStartup(backend, DIALECTS),
  ];
  console.log('cold path ...');
  const cold = [];
  for (const dialect of DIALECTS) cold.push(await measureColdPath(backend, backendChild, dialect));

  const agent = await startGuise(backend);
  children.push(agent);
  const cases: PreparedCase[] = [];
  for (const benchCase of DIALECTS.flatMap((d) => d.cases(backend)))
    cases.push({ ...benchCase, scenario: await benchCase.scenario(agent.port) });
  const servers = await startServers(agent, cases);
  children.push(...servers.map((s) => s.child));
  console.log('load ...');
  const rows = await measureLoad(generator, servers, cases, settings, (row) =>
    console.log(
      `  ${row.caseName} | ${row.mode} | ${row.server}: ${row.result.requestsPerSecond.toFixed(0)} req/s, p99 ${row.result.p99.toFixed(2)} ms`,
    ),
  );
  for (const server of servers) await server.child.stop();

  console.log(`fleet simulation (${FLEET_AGENTS} agents × 24 h) ...`);
  const fleet = await simulateFleet({ agents: FLEET_AGENTS, hours: 24 });
  const limits = new Map<string, PublishedLimit>(
    DIALECTS.flatMap((d) => (d.publishedLimit ? [[d.name, d.publishedLimit] as const] : [])),
  );
  const goals = evaluateGoals({ rows, startups, cold, limits });
  const markdown = renderBenchmarks({
    settings,
    generator,
    generatorWarning: warning,
    network: networkNamespace(),
    loadAtStart,
    rows,
    startups,
    cold,
    fleet,
    goals,
  });
  console.log('\n' + loadTable(rows) + '\n\n' + goalsTable(goals));
  await mkdir(new URL('docs/', root), { recursive: true });
  await writeFile(new URL('docs/BENCHMARKS.md', root), markdown);
  console.log('\nwritten to docs/BENCHMARKS.md');
  if (flags.profile) console.log(`CPU profile of the agent in ${profileDir}`);
  warn();
} finally {
  for (const child of children) await child.stop();
}

/** The command line's flags; `--help`, or a flag it does not know, prints USAGE and exits. */
function parseFlags() {
  const options = {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    profile: { type: 'boolean', default: false },
    'shared-network': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
  try {
    const { values } = parseArgs({ options });
    if (!values.help) return values;
    process.stdout.write(USAGE);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} takes a whole number ≥ 1`);
  return n;
}

/** The measured agent: every dialect, on loopback, ready once each credential is cached. */
async function startGuise(backend: BackendInfo): Promise<AgentChild> {
  const execArgv = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const agent = await startAgentChild(backend, DIALECTS, execArgv);
  await agent.next('ready');
  return agent;
}

/** The two baselines replaying what guise answers, and guise itself, all listening on loopback. */
async function startServers(
  agent: AgentChild,
  cases: readonly PreparedCase[],
): Promise<ServerUnderTest[]> {
  const captured = await captureResponses(agent.port, cases);
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
