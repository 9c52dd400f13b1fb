import os from 'node:os';
import { builtInGenerator } from './built-in-generator.js';
import type { LoadGenerator } from './load-generator.js';
import { wrkGenerator, wrkVersion } from './wrk/wrk-generator.js';

export interface ChosenGenerator {
  readonly generator: LoadGenerator;
  /** Set when the fallback was taken: printed at start and end, and written into the report. */
  readonly warning?: string;
}

/**
 * wrk when it is on PATH, with every CPU but the one the server under test (a single Node
 * process) keeps busy; otherwise the built-in generator, loudly.
 */
export function chooseLoadGenerator(): ChosenGenerator {
  const version = wrkVersion();
  if (version) return { generator: wrkGenerator(version, Math.max(1, os.cpus().length - 1)) };
  return {
    generator: builtInGenerator,
    warning:
      'wrk is not installed (install wrk: apt-get install wrk): the built-in load generator was used; it saturates before the servers do, so their figures converge and the ratios between them say little.',
  };
}
