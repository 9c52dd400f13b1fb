/** The `auth` block of a login or token renewal (reference/vault-api.md §1.1). */
export interface VaultAuth {
  readonly client_token: string;
  readonly accessor: string;
  readonly policies: string[];
  readonly token_policies?: string[];
  readonly metadata: Record<string, string> | null;
  readonly lease_duration: number;
  readonly renewable: boolean;
  readonly entity_id?: string;
  readonly token_type?: string;
  readonly orphan?: boolean;
}

/** `wrap_info` of a response-wrapped answer. */
export interface VaultWrapInfo {
  readonly token: string;
  readonly accessor: string;
  readonly ttl: number;
  readonly creation_time: string;
  readonly creation_path: string;
}

/** Vault's success envelope (reference/vault-api.md §1.1). `D` is the shape of `data`. */
export interface VaultResponse<D = Record<string, unknown>> {
  readonly request_id: string;
  readonly lease_id: string;
  readonly renewable: boolean;
  readonly lease_duration: number;
  readonly data: D | null;
  readonly wrap_info: VaultWrapInfo | null;
  readonly warnings: string[] | null;
  readonly auth: VaultAuth | null;
}
