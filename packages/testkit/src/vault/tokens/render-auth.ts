import { GoStruct } from '../../util/go-json.js';
import type { IssuedAuth } from '../logical.js';

/**
 * The response's `auth` block, fields in the order of Vault's `logical.HTTPAuth` (reference §1.1):
 * `identity_policies` is omitempty and this fake has no identity policies, so it never appears.
 */
export function renderAuth({ token, ttlSeconds }: IssuedAuth): GoStruct {
  return new GoStruct([
    ['client_token', token.id],
    ['accessor', token.accessor],
    ['policies', token.policies],
    ['token_policies', token.policies],
    ['metadata', token.meta],
    ['lease_duration', ttlSeconds],
    ['renewable', token.renewable],
    ['entity_id', token.entityId],
    ['token_type', 'service'],
    ['orphan', token.parentId === undefined],
    ['mfa_requirement', null],
    ['num_uses', token.numUses],
  ]);
}
