import { readFileSync } from 'node:fs';

/** The agent package's version, as `guise --version` and the build-info metric report it. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
