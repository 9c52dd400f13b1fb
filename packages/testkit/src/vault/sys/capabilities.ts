import { badRequest } from '../errors.js';
import { has, readString, readStringList } from '../fields.js';
import type { HandlerContext, LogicalResponse } from '../logical.js';
import type { PolicyStore } from '../policy/policy-store.js';
import { route, type Route } from '../routing/route.js';

/**
 * `sys/capabilities-self` (reference/vault-api.md; vault/logical_system.go handleCapabilities):
 * the calling token's capabilities on each of `paths` (or the older single `path`), per path and,
 * for one path, also under `capabilities`. The root policy has `["root"]` everywhere. (Real Vault
 * copies the answer to the top level of the body too; clients read `data`, which this serves.)
 */
export function capabilitiesRoutes(policies: PolicyStore): Route[] {
  const handler = (context: HandlerContext): LogicalResponse => {
    const data = context.request.data;
    const paths = has(data, 'paths') ? readStringList(data, 'paths') : [readString(data, 'path')];
    if (paths.length === 0 || paths.some((path) => path === ''))
      throw badRequest("missing required 'paths' parameter");
    const tokenPolicies = context.token?.policies ?? [];
    const acl = policies.acl(tokenPolicies);
    const answer: Record<string, string[]> = {};
    for (const path of paths) {
      const trimmed = path.replace(/^\/+/, '');
      answer[path] = tokenPolicies.includes('root') ? ['root'] : acl.capabilitiesOf(trimmed);
    }
    if (paths.length === 1) answer['capabilities'] = answer[paths[0] ?? ''] ?? ['deny'];
    return { data: answer };
  };
  // Any token may ask about itself: the default policy grants update on this path.
  return [route('capabilities-self', { write: handler })];
}
