import type { devCloudSections } from '@guise/agent';

/** Messages a server under test sends its parent over the IPC channel of `fork()`. */
export type ChildMessage =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'ready' }
  | { readonly type: 'backend'; readonly backend: BackendInfo }
  | { readonly type: 'vault-calls'; readonly count: number };

/** Messages the parent sends a child: count the Vault requests to exactly this path (no query). */
export type ParentMessage = { readonly type: 'count-vault-calls'; readonly path: string };

/** The agent config's `aws`, `gcp` and `azure` sections serving the dev backends. */
export type CloudSections = ReturnType<typeof devCloudSections>;

/** What the backend child (`startDevBackends`) tells the parent, for the agents' config. */
export interface BackendInfo {
  readonly vaultAddr: string;
  readonly roleId: string;
  /** Unwrapped and reusable (secret_id_num_uses = 0), so every agent of the run can log in. */
  readonly secretId: string;
  /** `devCloudSections` of the backends: each dialect takes its section from here. */
  readonly cloudSections: CloudSections;
}

/** Sends `message` to the parent; a child started without IPC (by hand) just runs. */
export function tellParent(message: ChildMessage): void {
  process.send?.(message);
}
