import type { VaultClient } from './vault-client.js';
import type { VaultAuth } from './vault-response.js';

/** The fields of `auth/token/lookup-self` this session uses (reference/vault-api.md §2.4). */
interface LookupSelfData {
  readonly accessor: string;
  readonly ttl: number;
  readonly renewable?: boolean;
  readonly policies?: string[];
  readonly meta?: Record<string, string> | null;
  readonly entity_id?: string;
  readonly type?: string;
  readonly orphan?: boolean;
}

/**
 * What Vault says about `token`, in the shape of a login's `auth` block, so a token found on disk or
 * in a Vault Agent sink is held exactly like one just issued. `lease_duration` is the *remaining*
 * TTL (0 for a token that never expires, such as a root token).
 */
export async function lookupSelf(client: VaultClient, token: string): Promise<VaultAuth> {
  const answer = await client.call<LookupSelfData>({
    method: 'GET',
    path: 'auth/token/lookup-self',
    token,
  });
  const data = answer.data;
  if (!data) throw new Error('vault auth/token/lookup-self: the answer has no data');
  return {
    client_token: token,
    accessor: data.accessor,
    policies: data.policies ?? [],
    metadata: data.meta ?? null,
    lease_duration: data.ttl,
    renewable: data.renewable ?? false,
    entity_id: data.entity_id,
    token_type: data.type,
    orphan: data.orphan,
  };
}
