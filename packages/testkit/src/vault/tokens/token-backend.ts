import { badRequest, permissionDenied, VaultError } from '../errors.js';
import {
  has,
  readBool,
  readDuration,
  readInt,
  readString,
  readStringList,
  readStringMap,
} from '../fields.js';
import type { Handler, HandlerContext, LogicalResponse } from '../logical.js';
import type { Backend } from '../routing/mount-table.js';
import { route } from '../routing/route.js';
import type { Clock } from '../../clock.js';
import { sanitizePolicies } from './sanitize-policies.js';
import type { TokenEntry } from './token-entry.js';
import { tokenLookupData } from './token-lookup.js';
import type { TokenStore } from './token-store.js';

/**
 * The token auth method at `auth/token/`: create (for tests and Vault-Agent-sink style tokens),
 * lookup, renew and revoke, by token, by accessor and for the calling token itself.
 */
export function tokenBackend(tokens: TokenStore, now: Clock): Backend {
  /** The calling token; the core guarantees one on authenticated routes. */
  const caller = (context: HandlerContext): TokenEntry => {
    if (!context.token) throw permissionDenied();
    return context.token;
  };
  const byId = (context: HandlerContext): TokenEntry => {
    const id = readString(context.request.data, 'token');
    if (id === '') throw badRequest('missing token ID');
    const token = tokens.find(id);
    if (!token) throw badRequest('token not found');
    return token;
  };
  const byAccessor = (context: HandlerContext): TokenEntry => {
    const token = tokens.findByAccessor(readString(context.request.data, 'accessor'));
    if (!token) throw badRequest('invalid accessor');
    return token;
  };

  const renew = (token: TokenEntry, context: HandlerContext): LogicalResponse => {
    const { auth, warnings } = tokens.renew(token, readDuration(context.request.data, 'increment'));
    return { auth, warnings };
  };
  const revoke = (token: TokenEntry | undefined): undefined => {
    if (token) tokens.revoke(token);
    return undefined;
  };
  const lookupSelf: Handler = (context) => ({ data: tokenLookupData(caller(context), now) });

  return {
    routes: [
      route('create', { write: (context) => createToken(tokens, caller(context), context, false) }),
      route('create-orphan', {
        write: (context) => createToken(tokens, caller(context), context, true),
      }),
      route('lookup-self', { read: lookupSelf, write: lookupSelf }),
      route('lookup', {
        write: (context) => {
          const token = tokens.find(readString(context.request.data, 'token'));
          if (!token) throw new VaultError(403, ['bad token']);
          return { data: tokenLookupData(token, now) };
        },
      }),
      route('lookup-accessor', {
        write: (context) => ({ data: tokenLookupData(byAccessor(context), now, { hideId: true }) }),
      }),
      route('renew-self', { write: (context) => renew(caller(context), context) }),
      route('renew', { write: (context) => renew(byId(context), context) }),
      route('revoke-self', { write: (context) => revoke(caller(context)) }),
      // Revoking an unknown token answers 204 too (Vault does not reveal whether it existed).
      route('revoke', {
        write: (context) => revoke(tokens.find(readString(context.request.data, 'token'))),
      }),
      route('revoke-accessor', { write: (context) => revoke(byAccessor(context)) }),
    ],
  };
}

/**
 * `auth/token/create[-orphan]` (handleCreateCommon): policies default to the parent's, a non-root
 * parent may only hand out a subset of its own, the display name becomes `token-<name>`.
 * Options that need root in Vault (`id`, `no_parent`, `period`) are refused for other callers.
 */
function createToken(
  tokens: TokenStore,
  parent: TokenEntry,
  context: HandlerContext,
  orphanPath: boolean,
): LogicalResponse {
  const data = context.request.data;
  const parentIsRoot = parent.policies.includes('root');
  const requireRoot = (field: string, what: string): void => {
    if (has(data, field) && !parentIsRoot)
      throw badRequest(`root or sudo privileges required to ${what}`);
  };
  requireRoot('id', 'specify token id');
  requireRoot('no_parent', 'create orphan token');
  requireRoot('period', 'create periodic token');
  if (!['', 'service', 'default'].includes(readString(data, 'type'))) {
    throw badRequest('batch tokens are not supported by this fake Vault');
  }

  const requested = has(data, 'policies') ? readStringList(data, 'policies') : parent.policies;
  const noDefaultPolicy = readBool(data, 'no_default_policy', false);
  if (requested.includes('response-wrapping'))
    throw badRequest('cannot assign policy "response-wrapping"');
  if (!parentIsRoot) {
    if (requested.includes('root'))
      throw badRequest('root tokens may not be created without parent token being root');
    const allowed = new Set(parent.policies);
    if (!sanitizePolicies(requested, false).every((name) => allowed.has(name))) {
      throw badRequest('child policies must be subset of parent');
    }
  }

  const orphan = orphanPath || readBool(data, 'no_parent', false);
  const displayName = readString(data, 'display_name');
  const { auth, warnings } = tokens.issue({
    mount: context.mount,
    path: context.request.path,
    policies: requested,
    noDefaultPolicy,
    meta: has(data, 'meta') ? readStringMap(data, 'meta') : null,
    displayName:
      displayName === ''
        ? 'token'
        : `token-${displayName}`.replace(/[^a-zA-Z0-9-]/g, '-').replace(/-$/, ''),
    numUses: readInt(data, 'num_uses'),
    ...(orphan ? {} : { parent, entityId: parent.entityId }),
    ttlSeconds: readDuration(data, 'ttl', readDuration(data, 'lease')),
    explicitMaxTtlSeconds: readDuration(data, 'explicit_max_ttl'),
    periodSeconds: readDuration(data, 'period'),
    renewable: readBool(data, 'renewable', true),
    ...(has(data, 'id') && { id: readString(data, 'id') }),
  });
  return { auth, warnings };
}
