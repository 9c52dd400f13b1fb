import { badRequest } from '../errors.js';
import { Acl } from './acl.js';
import { DEFAULT_POLICY, RESPONSE_WRAPPING_POLICY } from './builtin-policies.js';
import { parsePolicy, type PathRule } from './parse-policy.js';

interface StoredPolicy {
  readonly text: string;
  readonly rules: readonly PathRule[];
}

/** Policies that cannot be written or deleted (vault/policy_store.go `immutablePolicies`). */
const IMMUTABLE = new Set(['root', 'response-wrapping', 'control-group']);
/** Policies never listed (`nonAssignablePolicies`). */
const UNLISTED = new Set(['response-wrapping', 'control-group']);

/** Vault's ACL policy store; names are lower-cased and trimmed as Vault's `sanitizeName` does. */
export class PolicyStore {
  private readonly policies = new Map<string, StoredPolicy>();

  constructor() {
    this.policies.set('default', { text: DEFAULT_POLICY, rules: parsePolicy(DEFAULT_POLICY) });
    this.policies.set('response-wrapping', {
      text: RESPONSE_WRAPPING_POLICY,
      rules: parsePolicy(RESPONSE_WRAPPING_POLICY),
    });
  }

  /** Parses and stores a policy; 400 on a parse error or an immutable name. */
  write(name: string, text: string): void {
    const key = sanitizeName(name);
    if (IMMUTABLE.has(key)) throw badRequest(`cannot update ${JSON.stringify(key)} policy`);
    this.policies.set(key, { text, rules: parsePolicy(text) });
  }

  /** The policy text; `root` exists without text. */
  read(name: string): string | undefined {
    const key = sanitizeName(name);
    return key === 'root' ? '' : this.policies.get(key)?.text;
  }

  delete(name: string): void {
    const key = sanitizeName(name);
    if (IMMUTABLE.has(key)) throw badRequest(`cannot delete ${JSON.stringify(key)} policy`);
    if (key === 'default') throw badRequest('cannot delete default policy');
    this.policies.delete(key);
  }

  /** Every assignable policy name, sorted, `root` included (as `vault policy list` shows). */
  names(): string[] {
    return [...this.policies.keys(), 'root'].filter((name) => !UNLISTED.has(name)).sort();
  }

  /** The ACL of a token's policies; unknown names contribute nothing (as in Vault). */
  acl(names: readonly string[]): Acl {
    return new Acl(names.flatMap((name) => this.policies.get(name)?.rules ?? []));
  }
}

function sanitizeName(name: string): string {
  return name.trim().toLowerCase();
}
