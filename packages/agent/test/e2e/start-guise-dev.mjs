// Starts `guise dev` and waits for the one JSON line it prints once the fake Vault, the fake STS
// and the metadata listener are all up; `stop()` sends SIGTERM, as a user's Ctrl-C or systemd would.
import { spawn } from 'node:child_process';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_GRACE_MS = 5_000;

/** A deadline that does not itself keep the scenario alive once the race it guards is decided. */
const deadline = (ms) => sleep(ms, undefined, { ref: false });

/**
 * @param {readonly string[]} argv node + cli.js + `dev` and its flags
 * @param {number} timeoutMs how long the agent may take to print its JSON line
 */
export async function startGuiseDev(argv, timeoutMs) {
  const [file, ...args] = argv;
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const running = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );

  const firstLine = new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
  });
  const outcome = await Promise.race([
    firstLine,
    exited.then(({ code, signal }) => new Error(`guise dev exited early (${code ?? signal})`)),
    deadline(timeoutMs).then(() => new Error(`guise dev printed nothing within ${timeoutMs} ms`)),
  ]);
  if (outcome instanceof Error) {
    if (running()) process.kill(-child.pid, 'SIGKILL');
    throw new Error(`${outcome.message}\nstdout: ${stdout}\nstderr: ${stderr}`);
  }

  return {
    info: JSON.parse(outcome),
    stderr: () => stderr,
    /** SIGTERM, then SIGKILL to the whole group if it has not exited within the grace period. */
    async stop() {
      const started = Date.now();
      // A crashed agent has nothing left to stop; its exit status is still reported below.
      if (running()) process.kill(child.pid, 'SIGTERM');
      const graceful = await Promise.race([exited, deadline(STOP_GRACE_MS).then(() => undefined)]);
      if (!graceful) process.kill(-child.pid, 'SIGKILL');
      return { ...(graceful ?? (await exited)), forced: !graceful, stopMs: Date.now() - started };
    },
  };
}
