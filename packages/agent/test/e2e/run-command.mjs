// The one helper that runs every client: captures output, enforces a deadline, and on timeout
// kills the client's whole process group (ec2-metadata forks curl, the pyenv shim execs python).
import { spawn } from 'node:child_process';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';

/**
 * @param {readonly string[]} argv
 * @param {{ env: Record<string, string>, cwd: string, timeoutMs: number }} options
 * @returns {Promise<{ argv: readonly string[], exitCode: number | null, signal: string | null,
 *   timedOut: boolean, durationMs: number, stdout: string, stderr: string }>}
 */
export function runCommand(argv, { env, cwd, timeoutMs }) {
  const started = Date.now();
  const [file, ...args] = argv;
  const child = spawn(file, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    const finish = (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        argv,
        exitCode,
        signal,
        timedOut,
        durationMs: Date.now() - started,
        stdout,
        stderr,
      });
    };
    child.on('error', (error) => {
      stderr += String(error);
      finish(null, null);
    });
    child.on('close', finish);
  });
}
