import type { Clock } from '../clock.js';
import type { LeaseStore } from './leases/lease-store.js';
import type { PolicyStore } from './policy/policy-store.js';
import type { Backend, MountTable } from './routing/mount-table.js';
import type { TokenStore } from './tokens/token-store.js';
import type { ResponseWrapper } from './wrapping/response-wrapper.js';

/** Whether a mount is a secrets engine (`sys/mounts`) or an auth method (`sys/auth`). */
export type MountKind = 'secret' | 'auth';

/** Builds the backend of a newly enabled mount; undefined for a type this fake does not have. */
export type BackendFactory = (
  kind: MountKind,
  type: string,
  options: Readonly<Record<string, string>>,
) => Backend | undefined;

/** What the server says about itself in sys/health and sys/seal-status. */
export interface ServerIdentity {
  readonly version: string;
  readonly clusterName: string;
  readonly clusterId: string;
}

/** The shared state of one fake Vault, handed to the backends that need it. */
export interface VaultServices {
  readonly now: Clock;
  readonly mounts: MountTable;
  readonly policies: PolicyStore;
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  readonly wrapper: ResponseWrapper;
  readonly createBackend: BackendFactory;
  readonly identity: ServerIdentity;
}
