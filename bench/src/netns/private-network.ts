import { spawnSync } from 'node:child_process';

/** Set in the environment of the benchmark re-run inside its own network namespace. */
const INSIDE_ENV = 'GUISE_BENCH_NETWORK';

export type NetworkNamespace = 'private' | 'shared';

/** Brings loopback up in the new namespace (it starts down), then runs the given command. */
const UP_THEN_EXEC = 'ip link set lo up && exec "$@"';

/**
 * Runs this benchmark again inside a network namespace of its own (`unshare -rn`: an
 * unprivileged user namespace with a private network stack, loopback only), so that the TCP
 * counters of /proc/net/snmp count this run's segments and nobody else's, and so that nothing
 * the benchmark starts can reach past loopback. Returns the re-run's exit code, or undefined
 * when this process should run the benchmark itself: already inside, or namespaces unavailable
 * (then the run goes on in the host's namespace and the report says so).
 */
export function rerunInPrivateNetwork(): number | undefined {
  if (process.env[INSIDE_ENV]) return undefined;
  const probe = spawnSync('unshare', ['-rn', 'sh', '-c', UP_THEN_EXEC, 'sh', 'true'], {
    stdio: 'ignore',
  });
  if (probe.error || probe.status !== 0) return undefined;
  const rerun = spawnSync(
    'unshare',
    [
      '-rn',
      'sh',
      '-c',
      UP_THEN_EXEC,
      'sh',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, [INSIDE_ENV]: 'private' } },
  );
  return rerun.status ?? 1;
}

export function networkNamespace(): NetworkNamespace {
  return process.env[INSIDE_ENV] === 'private' ? 'private' : 'shared';
}
