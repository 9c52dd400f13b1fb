import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, run exactly as a user runs it (the root `npm test` builds before testing). */
const GUISE_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** `guise dev` serving on the real metadata address, printing its endpoints as one JSON line. */
export function devArgv(): string[] {
  if (!existsSync(GUISE_CLI)) {
    throw new Error(`${GUISE_CLI} is missing: build first (npx turbo run build)`);
  }
  return [process.execPath, GUISE_CLI, 'dev', '--listen', '169.254.169.254:80', '--json'];
}

export interface TokenMode {
  name: string;
  devFlags: string[];
  /** What a GET without an IMDSv2 token gets, as on EC2 with HttpTokens optional / required. */
  tokenlessStatus: number;
}

/** `guise dev --tokens` mirrors EC2's HttpTokens; every client must work in both modes. */
export const TOKEN_MODES: TokenMode[] = [
  { name: 'IMDSv2 optional', devFlags: [], tokenlessStatus: 200 },
  { name: 'IMDSv2 required', devFlags: ['--tokens', 'required'], tokenlessStatus: 401 },
];
