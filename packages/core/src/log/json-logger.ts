import type { LogFields, LogLevel, Logger } from './logger.js';
import { redact } from './redact.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to stderr so that stdout stays free for command output. */
  write?: (line: string) => void;
  now?: () => number;
}

/** One JSON object per line: `{"time","level","msg",...fields}`, secrets redacted by field name. */
export class JsonLogger implements Logger {
  private readonly threshold: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(
    options: JsonLoggerOptions = {},
    private readonly bound: LogFields = {},
  ) {
    this.threshold = LEVELS[options.level ?? 'info'];
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
    this.now = options.now ?? Date.now;
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  child(fields: LogFields): Logger {
    const logger = new JsonLogger(
      { level: levelName(this.threshold), write: this.write, now: this.now },
      { ...this.bound, ...fields },
    );
    return logger;
  }

  isLevelEnabled(level: LogLevel): boolean {
    return LEVELS[level] >= this.threshold;
  }

  private log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (!this.isLevelEnabled(level)) return;
    const time = new Date(this.now()).toISOString();
    this.write(JSON.stringify({ time, level, msg, ...redact({ ...this.bound, ...fields }) }));
  }
}

function levelName(threshold: number): LogLevel {
  return (Object.keys(LEVELS) as LogLevel[]).find((l) => LEVELS[l] === threshold) ?? 'info';
}
