import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { explainIssue } from './explain-issue.js';
import type { ConfigOverride } from './overrides.js';
import { applyOverrides, envOverrides, isMapping } from './overrides.js';
import type { AgentConfig } from './schema.js';
import { agentConfigSchema } from './schema.js';

export interface LoadConfigOptions {
  /** Environment consulted for overrides (`VAULT_ADDR`, `GUISE_LISTEN`, ...). Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Applied after the environment, e.g. the CLI's `--listen`. */
  readonly overrides?: readonly ConfigOverride[];
}

/**
 * Reads a YAML config file, applies environment and command-line overrides and validates the
 * result. Throws ConfigError listing every problem, each naming the file (or variable) and key.
 */
/** What the common errors of reading the file mean, for the message. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

export async function loadConfig(
  file: string,
  options: LoadConfigOptions = {},
): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === undefined ? String(error) : `${READ_ERRORS[code] ?? code} (${code})`;
    throw new ConfigError([`${file}: cannot read: ${reason}`]);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        // The message ends in " at line L, column C:" and a code excerpt; the position goes up front.
        const reason = error.message.split(/ at line \d+, column \d+:|\n/)[0];
        return `${file}:${at ? `${at.line}:${at.col}:` : ''} invalid YAML: ${reason}`;
      }),
    );
  }
  const overrides = [...envOverrides(options.env ?? process.env), ...(options.overrides ?? [])];
  return parseConfig(document.toJS() ?? {}, { source: file, overrides });
}

export interface ParseConfigOptions {
  /** Names the document in error messages (a file name, or e.g. `guise dev`). */
  readonly source?: string;
  readonly overrides?: readonly ConfigOverride[];
}

/** Validates a config document already in memory (what a YAML file parses to). */
export function parseConfig(document: unknown, options: ParseConfigOptions = {}): AgentConfig {
  const source = options.source ?? 'config';
  if (!isMapping(document)) {
    throw new ConfigError([`${source}: expected a mapping of settings at the top level`]);
  }
  const overrides = options.overrides ?? [];
  const result = agentConfigSchema.safeParse(applyOverrides(document, overrides), {
    error: explainIssue,
  });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.flatMap((issue) => describeIssue(issue, source, overrides)),
  );
}

/** One line per problem; an unknown-keys issue becomes one line per key, each with its full path. */
function describeIssue(
  issue: z.core.$ZodIssue,
  source: string,
  overrides: readonly ConfigOverride[],
): string[] {
  const paths =
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...issue.path, key])
      : [issue.path];
  return paths.map((path) => {
    const key = formatPath(path);
    // A value that came from the environment or a flag is fixed there, not in the file.
    const override = overrides.findLast((o) => formatPath(o.path) === key);
    if (override) return `${override.source} (${key}): ${issue.message}`;
    return key ? `${source}: ${key}: ${issue.message}` : `${source}: ${issue.message}`;
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${String(segment)}`,
    )
    .join('');
}
