import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { formatCheck, passed } from '../doctor/check.js';
import { runDoctor } from '../doctor/run-doctor.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';

/**
 * `guise doctor`: one ✓/✗ line per check, with the fix for each ✗. Exit status 2 when the
 * configuration itself is invalid (nothing else can be checked), 1 when any check failed.
 */
export async function runDoctorCommand(options: { config: string }): Promise<ExitCode> {
  let config;
  try {
    config = await loadConfig(options.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.problems.map((problem) => `✗ ${problem}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.usage;
  }
  const checks = [passed(`configuration ${options.config} is valid`), ...(await runDoctor(config))];
  process.stdout.write(`${checks.map(formatCheck).join('\n')}\n`);
  return checks.every((check) => check.ok) ? EXIT.ok : EXIT.failure;
}
