import { badRequest, notFound } from '../errors.js';
import { has, readString } from '../fields.js';
import type { HandlerContext, LogicalResponse } from '../logical.js';
import type { PolicyStore } from '../policy/policy-store.js';
import { route, type Route } from '../routing/route.js';

/**
 * ACL policy CRUD under both spellings Vault serves: `sys/policies/acl/:name` (field `policy`)
 * and the older `sys/policy/:name` (reads answer `rules`; writes take `policy` or `rules`).
 */
export function policyRoutes(policies: PolicyStore): Route[] {
  const write = (context: HandlerContext): undefined => {
    const data = context.request.data;
    const field = has(data, 'policy') ? 'policy' : 'rules';
    if (!has(data, field)) throw badRequest("'policy' parameter not supplied or empty");
    policies.write(context.params['name'] ?? '', readString(data, field));
    return undefined;
  };
  const read =
    (textField: 'policy' | 'rules') =>
    (context: HandlerContext): LogicalResponse => {
      const name = (context.params['name'] ?? '').trim().toLowerCase();
      const text = policies.read(name);
      if (text === undefined) throw notFound();
      return { data: { name, [textField]: text } };
    };
  const remove = (context: HandlerContext): undefined => {
    policies.delete(context.params['name'] ?? '');
    return undefined;
  };

  return [
    route('policies/acl', { list: () => ({ data: { keys: policies.names() } }) }),
    route('policies/acl/:name', { read: read('policy'), write, delete: remove }),
    route('policy', {
      read: () => ({ data: { keys: policies.names(), policies: policies.names() } }),
    }),
    route('policy/:name', { read: read('rules'), write, delete: remove }),
  ];
}
