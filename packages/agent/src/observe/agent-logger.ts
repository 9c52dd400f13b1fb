import type { Logger } from '@guise/core';
import { JsonLogger } from '@guise/core';
import type { AgentConfig } from '../config/schema.js';

/**
 * The agent's logger: JSON lines by default — always under systemd (journald sets JOURNAL_STREAM)
 * and when stderr is a pipe or file — and readable text lines when a person watches a terminal.
 */
export function agentLogger(log: Pick<AgentConfig['log'], 'level' | 'format'>): Logger {
  return new JsonLogger({ level: log.level, format: resolveLogFormat(log.format) });
}

/** What `auto` means here and now. */
export function resolveLogFormat(
  format: AgentConfig['log']['format'],
  stderr: { isTTY?: boolean } = process.stderr,
  env: Readonly<Record<string, string | undefined>> = process.env,
): 'json' | 'text' {
  if (format !== 'auto') return format;
  return stderr.isTTY && !env.JOURNAL_STREAM ? 'text' : 'json';
}
