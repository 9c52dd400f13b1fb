import { formatCheck } from '../doctor/check.js';
import type { NetworkOptions } from '../net/network-setup.js';
import { networkStatus, setupNetwork, teardownNetwork } from '../net/network-setup.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';

/** `guise net setup|teardown`: print what was done, one line each. Errors reach runCli (status 1). */
export async function runNetChangeCommand(
  change: 'setup' | 'teardown',
  options: NetworkOptions,
): Promise<ExitCode> {
  const done = change === 'setup' ? await setupNetwork(options) : await teardownNetwork(options);
  process.stdout.write(done.length === 0 ? 'nothing to do\n' : `${done.join('\n')}\n`);
  return EXIT.ok;
}

/** `guise net status`: ✓/✗ per check; status 1 when anything setup would add is missing. */
export async function runNetStatusCommand(options: NetworkOptions): Promise<ExitCode> {
  const checks = await networkStatus(options);
  process.stdout.write(checks.map(formatCheck).join('\n') + '\n');
  return checks.every((check) => check.ok) ? EXIT.ok : EXIT.failure;
}
