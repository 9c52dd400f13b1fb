import type { LogFields, LogLevel, Logger } from './logger.js';
import { redact } from './redact.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  level?: LogLevel;
  /**
   * `json` (default): one JSON object per line, for journald and log shippers. `text`: the same
   * record as a line a person reads at a terminal (`12:00:01 INFO vault login succeeded k=v`).
   */
  format?: 'json' | 'text';
  /** Where lines go; defaults to stderr so that stdout stays free for command output. */
  write?: (line: string) => void;
  now?: () => number;
}

/** One JSON object per line: `{"time","level","msg",...fields}`, secrets redacted by field name. */
export class JsonLogger implements Logger {
  private readonly threshold: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly format: 'json' | 'text';

  constructor(
    options: JsonLoggerOptions = {},
    private readonly bound: LogFields = {},
  ) {
    this.threshold = LEVELS[options.level ?? 'info'];
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
    this.now = options.now ?? Date.now;
    this.format = options.format ?? 'json';
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
      { level: levelName(this.threshold), write: this.write, now: this.now, format: this.format },
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
    const safe = redact({ ...this.bound, ...fields });
    this.write(
      this.format === 'json'
        ? JSON.stringify({ time, level, msg, ...safe })
        : textLine(time, level, msg, safe),
    );
  }
}

function levelName(threshold: number): LogLevel {
  return (Object.keys(LEVELS) as LogLevel[]).find((l) => LEVELS[l] === threshold) ?? 'info';
}

/** `2026-01-01 12:00:01 INFO  vault login succeeded accessor=abc ttlSeconds=3600` */
function textLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  const pairs = Object.entries(fields).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  });
  const stamp = time.replace('T', ' ').replace(/\.\d+Z$/, '');
  return [stamp, level.toUpperCase().padEnd(5), msg, ...pairs].join(' ');
}
