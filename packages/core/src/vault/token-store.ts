import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A token kept across restarts, with what is needed to decide whether to try it again. */
export interface PersistedToken {
  readonly token: string;
  /** Not secret; lets an operator find the token (`vault token lookup -accessor`). */
  readonly accessor: string;
  /** Epoch ms as last known; undefined for a token that never expires. */
  readonly expiresAt?: number;
  /** Name of the AuthMethod that obtained it: a token from another method is not adopted. */
  readonly authMethod: string;
}

/** Where the session keeps its token between runs. */
export interface TokenStore {
  /** The kept token, undefined when there is none; rejects when the store cannot be read. */
  load(): Promise<PersistedToken | undefined>;
  save(token: PersistedToken): Promise<void>;
  clear(): Promise<void>;
}

interface StoredRecord {
  version: 1;
  authMethod: string;
  accessor: string;
  expiresAt: string | null;
  token: string;
}

/**
 * A JSON file readable by its owner only (0600: it holds a live token). Writes go to a temporary
 * file in the same directory, flushed, then renamed over the old one, so a crash or a concurrent
 * reader never sees a half-written token.
 */
export class FileTokenStore implements TokenStore {
  constructor(readonly path: string) {}

  async load(): Promise<PersistedToken | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    const record = parseJson(text);
    if (!isStoredRecord(record)) throw new Error(`token store ${this.path}: unrecognised contents`);
    return {
      token: record.token,
      accessor: record.accessor,
      authMethod: record.authMethod,
      ...(record.expiresAt === null ? {} : { expiresAt: Date.parse(record.expiresAt) }),
    };
  }

  async save(token: PersistedToken): Promise<void> {
    const record: StoredRecord = {
      version: 1,
      authMethod: token.authMethod,
      accessor: token.accessor,
      expiresAt: token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString(),
      token: token.token,
    };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    // 'wx': never follow or reuse an existing file; the mode applies from creation, before any byte.
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
      await handle.sync();
      await handle.close();
      await rename(temporary, this.path);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/**
 * The file's JSON, or undefined: never JSON.parse's error, whose message quotes the text — a raw
 * Vault token written here by mistake (a Vault Agent sink, say) would reach the log.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.version === 1 &&
    typeof r.token === 'string' &&
    typeof r.accessor === 'string' &&
    typeof r.authMethod === 'string' &&
    (r.expiresAt === null ||
      (typeof r.expiresAt === 'string' && !Number.isNaN(Date.parse(r.expiresAt))))
  );
}
