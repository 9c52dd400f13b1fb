/** Messages a server under test sends its parent over the IPC channel of `fork()`. */
export type ChildMessage =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'ready' }
  | { readonly type: 'backend'; readonly backend: BackendInfo }
  | { readonly type: 'vault-calls'; readonly count: number };

/** Messages the parent sends a child. */
export type ParentMessage = { readonly type: 'count-vault-calls'; readonly pathPrefix: string };

/** What the backend child (fake Vault + fake STS) tells the parent, for the agent's config. */
export interface BackendInfo {
  readonly vaultAddr: string;
  readonly stsEndpoint: string;
  readonly accountId: string;
  readonly region: string;
  readonly roleName: string;
  readonly approleRole: string;
  readonly roleId: string;
  /** Unwrapped and reusable (secret_id_num_uses = 0), so every agent of the run can log in. */
  readonly secretId: string;
}

/** Sends `message` to the parent; a child started without IPC (by hand) just runs. */
export function tellParent(message: ChildMessage): void {
  process.send?.(message);
}
