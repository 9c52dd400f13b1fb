/** Structured fields attached to a log line. Values are redacted by key before they are written. */
export type LogFields = Record<string, unknown>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The logging contract every guise component writes to. Messages are short, stable sentences
 * ("vault login succeeded"); details go into fields, never into the message, so redaction by field
 * name is the one place secrets are kept out of logs.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ component: 'broker' }`). */
  child(fields: LogFields): Logger;
  /**
   * Whether lines at `level` are written. Optional: a hot path asks before it gathers fields for
   * a line that would be dropped; a logger without it is treated as writing every level.
   */
  isLevelEnabled?(level: LogLevel): boolean;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
  isLevelEnabled: () => false,
};
