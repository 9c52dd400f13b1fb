import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

/**
 * Whether this process may create a private network namespace, and the `unshare` flags that do it.
 *
 * `-n` gives a new network namespace (root only, hence `-rn` with a user namespace otherwise).
 * `-p -f --kill-child` adds a PID namespace whose first process is our scenario: when it dies, or
 * when `unshare` itself is killed, the kernel kills every process left inside, so no agent, fake or
 * client can outlive the test and keep the namespace alive.
 */
export type NetnsSupport =
  { available: true; unshareFlags: readonly string[] } | { available: false; reason: string };

/** Env var carrying the caller's network-namespace inode, so code inside can prove it is elsewhere. */
export const PARENT_NETNS_ENV = 'GUISE_E2E_PARENT_NETNS';
/** The same for the mount namespace, when the run has a private one (its own /etc/hosts). */
export const PARENT_MNTNS_ENV = 'GUISE_E2E_PARENT_MNTNS';

export function probePrivateNetns(): NetnsSupport {
  const unshareFlags = [process.getuid?.() === 0 ? '-n' : '-rn', '-p', '-f', '--kill-child'];
  // Probing with `ip link set lo up` checks, in a throwaway namespace, both that `unshare` works
  // (no EPERM from a container or a sysctl) and that `ip` can configure loopback in it.
  const probe = spawnSync('unshare', [...unshareFlags, 'ip', 'link', 'set', 'lo', 'up'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  const how = `unshare ${unshareFlags.join(' ')}`;
  if (probe.error)
    return { available: false, reason: `${how} could not run: ${probe.error.message}` };
  if (probe.status !== 0) {
    return { available: false, reason: `${how} failed: ${probe.stderr.trim() || probe.status}` };
  }
  return { available: true, unshareFlags };
}

export interface NamespacedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `argv` as the first process of fresh network + PID (+ mount) namespaces and resolves when it exits.
 * On timeout `unshare` is SIGKILLed, which (through --kill-child and the PID namespace) takes
 * every process inside down with it, and the promise rejects with whatever was printed so far.
 */
export function runInPrivateNetns(
  support: Extract<NetnsSupport, { available: true }>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  options: { privateMounts?: boolean } = {},
): Promise<NamespacedRun> {
  const parentNetns = String(statSync('/proc/self/ns/net').ino);
  const parentMntns = String(statSync('/proc/self/ns/mnt').ino);
  // `-m`: a private mount namespace (propagation private), so a bind mount over /etc/hosts
  // inside is invisible to the host and gone with the namespace.
  const flags = options.privateMounts ? [...support.unshareFlags, '-m'] : support.unshareFlags;
  const child = spawn('unshare', [...flags, '--', ...argv], {
    env: { ...env, [PARENT_NETNS_ENV]: parentNetns, [PARENT_MNTNS_ENV]: parentMntns },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`namespaced run timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
