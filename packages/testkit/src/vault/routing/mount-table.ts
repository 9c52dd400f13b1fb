import { randomString, randomUuid } from '../../util/random.js';
import type { Route } from './route.js';

/** A backend is its routes; its state lives in the closures that built them. */
export interface Backend {
  readonly routes: readonly Route[];
}

/** Vault's mount-level lease limits (`sys/mounts/:path/tune`); 0 = the system value. */
export interface MountTuning {
  defaultLeaseTtlSeconds: number;
  maxLeaseTtlSeconds: number;
}

export interface MountEntry {
  /** With its trailing slash: `secret/`, `auth/approle/`, `sys/`. */
  readonly path: string;
  readonly type: string;
  readonly description: string;
  readonly accessor: string;
  readonly uuid: string;
  readonly options: Readonly<Record<string, string>> | null;
  readonly backend: Backend;
  readonly tuning: MountTuning;
}

/** The system-wide lease limits of Vault's config (`default_lease_ttl`, `max_lease_ttl`). */
export interface SystemLeaseLimits {
  readonly defaultLeaseTtlSeconds: number;
  readonly maxLeaseTtlSeconds: number;
}

export interface ResolvedPath {
  readonly mount: MountEntry;
  /** The path under the mount, e.g. `role/app/secret-id` for `auth/approle/role/app/secret-id`. */
  readonly relativePath: string;
}

/** The router's mount table: longest mount prefix wins, as in Vault's router. */
export class MountTable {
  private readonly entries = new Map<string, MountEntry>();

  constructor(private readonly limits: SystemLeaseLimits) {}

  mount(input: {
    path: string;
    type: string;
    backend: Backend;
    description?: string;
    options?: Readonly<Record<string, string>> | null;
    tuning?: Partial<MountTuning>;
  }): MountEntry {
    const path = withTrailingSlash(input.path);
    const entry: MountEntry = {
      path,
      type: input.type,
      description: input.description ?? '',
      accessor: `${accessorPrefix(path, input.type)}_${randomString('0123456789abcdef', 8)}`,
      uuid: randomUuid(),
      options: input.options ?? null,
      backend: input.backend,
      tuning: {
        defaultLeaseTtlSeconds: input.tuning?.defaultLeaseTtlSeconds ?? 0,
        maxLeaseTtlSeconds: input.tuning?.maxLeaseTtlSeconds ?? 0,
      },
    };
    this.entries.set(path, entry);
    return entry;
  }

  unmount(path: string): MountEntry | undefined {
    const key = withTrailingSlash(path);
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry;
  }

  get(path: string): MountEntry | undefined {
    return this.entries.get(withTrailingSlash(path));
  }

  all(): MountEntry[] {
    return [...this.entries.values()];
  }

  /**
   * The mount serving `path`. A path equal to a mount without its slash (`auth/token`) still
   * resolves to it, as Vault's router does.
   */
  resolve(path: string): ResolvedPath | undefined {
    let best: MountEntry | undefined;
    for (const entry of this.entries.values()) {
      const matches = path.startsWith(entry.path) || `${path}/` === entry.path;
      if (matches && (!best || entry.path.length > best.path.length)) best = entry;
    }
    return best && { mount: best, relativePath: path.slice(best.path.length) };
  }

  /** The mount's `DefaultLeaseTTL()` as its system view reports it. */
  defaultLeaseTtl(mount: MountEntry): number {
    const value = mount.tuning.defaultLeaseTtlSeconds || this.limits.defaultLeaseTtlSeconds;
    return Math.min(value, this.maxLeaseTtl(mount));
  }

  /** The mount's `MaxLeaseTTL()` as its system view reports it. */
  maxLeaseTtl(mount: MountEntry): number {
    return mount.tuning.maxLeaseTtlSeconds || this.limits.maxLeaseTtlSeconds;
  }
}

function withTrailingSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

/** Vault's accessors look like `auth_approle_1a2b3c4d` / `kv_5e6f7a8b`. */
function accessorPrefix(path: string, type: string): string {
  return path.startsWith('auth/') ? `auth_${type}` : type;
}
