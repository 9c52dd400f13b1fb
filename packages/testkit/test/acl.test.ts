import { describe, expect, it } from 'vitest';
import { encodeGoJson, GoStruct } from '../src/util/go-json.js';
import { Acl } from '../src/vault/policy/acl.js';
import { parsePolicy } from '../src/vault/policy/parse-policy.js';
import { PolicyStore } from '../src/vault/policy/policy-store.js';

describe('policy parsing', () => {
  it('reads HCL with comments, legacy policy values and JSON', () => {
    const rules = parsePolicy(`
      # comment
      path "secret/*" { capabilities = ["read", "list"] } // trailing
      /* block */ path "old/+" { policy = "write" }
    `);
    expect(rules.map((rule) => [rule.path, [...rule.capabilities].sort()])).toEqual([
      ['secret/*', ['list', 'read']],
      ['old/+', ['create', 'delete', 'list', 'read', 'update']],
    ]);
    const json = parsePolicy('{"path": {"kv/data/x": {"capabilities": ["read"]}}}');
    expect(json.map((rule) => [rule.path, [...rule.capabilities]])).toEqual([
      ['kv/data/x', ['read']],
    ]);
  });

  it('rejects what Vault rejects', () => {
    expect(() => parsePolicy('path "a/*/b" { capabilities = ["read"] }')).toThrow(
      /failed to parse policy: .*only permitted as the last character/,
    );
    expect(() => parsePolicy('path "a" { capabilities = ["read"]')).toThrow(
      /^failed to parse policy: /,
    );
  });
});

describe('ACL priority (docs/concepts/policies.mdx)', () => {
  const acl = new Acl(
    parsePolicy(`
      path "secret/*" { capabilities = ["read"] }
      path "secret/data/+/config" { capabilities = ["update"] }
      path "secret/data/app/config" { capabilities = ["list"] }
      path "secret/data/app/conf*" { capabilities = ["delete"] }
      path "secret/data/blocked/*" { capabilities = ["deny"] }
    `),
  );

  it('lets the exact path win, then the later first wildcard, then no glob over glob', () => {
    expect(acl.allows('secret/data/app/config', ['list'])).toBe(true);
    expect(acl.allows('secret/data/app/config', ['read'])).toBe(false);
    expect(acl.allows('secret/data/web/config', ['update'])).toBe(true);
    expect(acl.allows('secret/data/app/configs', ['delete'])).toBe(true);
    expect(acl.allows('secret/anything/else', ['read'])).toBe(true);
    expect(acl.allows('secret/data/blocked/x', ['read'])).toBe(false);
    expect(acl.allows('other/path', ['read'])).toBe(false);
  });

  it('merges rules for the same path across policies, deny winning', () => {
    const store = new PolicyStore();
    store.write('a', 'path "kv/x" { capabilities = ["read"] }');
    store.write('b', 'path "kv/x" { capabilities = ["update"] }');
    store.write('c', 'path "kv/x" { capabilities = ["deny"] }');
    expect(store.acl(['a', 'b']).allows('kv/x', ['read', 'update'])).toBe(true);
    expect(store.acl(['a', 'b', 'c']).allows('kv/x', ['read'])).toBe(false);
    expect(store.acl(['default']).allows('auth/token/lookup-self', ['read'])).toBe(true);
    expect(store.acl(['default']).allows('identity/oidc/provider/p1/authorize', ['update'])).toBe(
      true,
    );
  });
});

describe('Go JSON encoding', () => {
  it('keeps struct order, sorts map keys byte-wise, escapes HTML and ends with a newline', () => {
    const encoded = encodeGoJson(
      new GoStruct([
        ['z', 1],
        ['a', { '10': true, '2': false, b: '<&>' }],
      ]),
    );
    expect(encoded).toBe('{"z":1,"a":{"10":true,"2":false,"b":"\\u003c\\u0026\\u003e"}}\n');
  });
});
