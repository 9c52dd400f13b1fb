import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppRoleCredentials, type FakeVault, startFakeVault } from '../src/index.js';
import { ManualClock, START_MS } from './support/manual-clock.js';
import { seedVault } from './support/seed.js';
import { dataOf, vaultFetch } from './support/vault-http.js';

// The wire details clients depend on, checked byte for byte with plain fetch
// (reference/vault-api.md §1–3, §7).

describe('fake Vault on the wire', () => {
  let clock: ManualClock;
  let vault: FakeVault;
  let seed: AppRoleCredentials;

  beforeEach(async () => {
    clock = new ManualClock(START_MS);
    vault = await startFakeVault({ now: clock.now });
    seed = await seedVault(vault);
  });
  afterEach(() => vault.stop());

  const asRoot = (path: string, init: Parameters<typeof vaultFetch>[2] = {}) =>
    vaultFetch(vault.url, path, { token: vault.rootToken, ...init });
  const appToken = async (): Promise<string> => {
    const login = await vaultFetch(vault.url, 'auth/approle/login', {
      body: { role_id: seed.roleId, secret_id: seed.secretId },
    });
    return String((login.json as { auth: { client_token: string } }).auth.client_token);
  };

  describe('framing', () => {
    it('writes Go’s JSON: envelope field order, sorted data keys, trailing newline, exact headers', async () => {
      const answer = await asRoot('auth/approle/role/app/role-id');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      // Sized, never chunked, as Go's server sends small bodies.
      expect(answer.headers.get('content-length')).toBe(String(Buffer.byteLength(answer.text)));
      expect(answer.headers.get('transfer-encoding')).toBeNull();
      expect(answer.text).toMatch(
        new RegExp(
          `^\\{"request_id":"[0-9a-f-]{36}","lease_id":"","renewable":false,"lease_duration":0,` +
            `"data":\\{"role_id":"${seed.roleId}"\\},"wrap_info":null,"warnings":null,"auth":null,"mount_type":"approle"\\}\\n$`,
        ),
      );
      await asRoot('secret/data/html', { body: { data: { z: '<a&b>', a: 1 } } });
      const kv = await asRoot('secret/data/html');
      expect(kv.text).toContain('"data":{"data":{"a":1,"z":"\\u003ca\\u0026b\\u003e"}');
    });

    it('answers 204 with Content-Type application/json for empty bodies', async () => {
      const answer = await asRoot('auth/approle/role/other', { body: { token_policies: 'app' } });
      expect(answer.status).toBe(204);
      expect(answer.text).toBe('');
      expect(answer.headers.get('content-type')).toBe('application/json');
    });

    it('maps errors: unknown mount 404, unsupported path 404, method 405, bad JSON 400', async () => {
      expect((await asRoot('nowhere/x')).json).toEqual({
        errors: ['no handler for route "nowhere/x". route entry not found.'],
      });
      expect((await asRoot('nowhere/x')).status).toBe(404);
      const path = await asRoot('auth/approle/nonsense');
      expect([path.status, path.json]).toEqual([404, { errors: ['unsupported path'] }]);
      const method = await asRoot('auth/approle/login', { method: 'DELETE' });
      expect([method.status, method.json]).toEqual([405, { errors: ['unsupported operation'] }]);
      const json = await asRoot('sys/policies/acl/x', { method: 'PUT', body: '{"policy":' });
      expect(json.status).toBe(400);
      expect((json.json as { errors: string[] }).errors[0]).toMatch(
        /^failed to parse JSON input: /,
      );
    });

    it('refuses bad and missing tokens with 403', async () => {
      const missing = await vaultFetch(vault.url, 'auth/token/lookup-self');
      expect([missing.status, missing.json]).toEqual([403, { errors: ['permission denied'] }]);
      const bad = await vaultFetch(vault.url, 'auth/token/lookup-self', { token: 'hvs.nope' });
      expect([bad.status, bad.json]).toEqual([
        403,
        { errors: ['permission denied', 'invalid token'] },
      ]);
      const bearer = await vaultFetch(vault.url, 'auth/token/lookup-self', {
        headers: { Authorization: `Bearer ${vault.rootToken}` },
      });
      expect(dataOf(bearer)['policies']).toEqual(['root']);
    });

    it('reads GET query parameters (minus help), ignores the query on POST, accepts a namespace', async () => {
      await asRoot('sys/mounts/kv1', { body: { type: 'kv' } });
      await asRoot('kv1/thing?ignored=1', { body: { value: 'v' } });
      expect(
        dataOf(await asRoot('kv1/thing', { headers: { 'X-Vault-Namespace': 'ns1/' } })),
      ).toEqual({ value: 'v' });
      const token = await appToken();
      const viaQuery = await vaultFetch(vault.url, 'aws/sts/deploy?ttl=20m&help=1', { token });
      expect((viaQuery.json as { lease_duration: number }).lease_duration).toBe(1200);
      const postIgnoresQuery = await vaultFetch(vault.url, 'aws/sts/deploy?ttl=20m', {
        token,
        body: {},
      });
      expect((postIgnoresQuery.json as { lease_duration: number }).lease_duration).toBe(3600);
    });

    it('treats LIST and GET ?list=true alike', async () => {
      await asRoot('secret/data/app/one', { body: { data: { a: 1 } } });
      await asRoot('secret/data/app/dir/two', { body: { data: { a: 2 } } });
      const viaVerb = await asRoot('secret/metadata/app', { method: 'LIST' });
      const viaQuery = await asRoot('secret/metadata/app/?list=true');
      expect(dataOf(viaVerb)).toEqual({ keys: ['dir/', 'one'] });
      expect(dataOf(viaQuery)).toEqual({ keys: ['dir/', 'one'] });
      const empty = await asRoot('secret/metadata/none', { method: 'LIST' });
      expect([empty.status, empty.json]).toEqual([404, { errors: [] }]);
    });

    it('refuses a malformed X-Vault-Wrap-TTL and a body over the size limit', async () => {
      const wrap = await asRoot('auth/approle/role/app/secret-id', {
        body: {},
        headers: { 'X-Vault-Wrap-TTL': 'soon' },
      });
      expect([wrap.status, wrap.json]).toEqual([
        400,
        { errors: ['error parsing X-Vault-Wrap-TTL header'] },
      ]);
      const small = await startFakeVault({ maxRequestBytes: 64 });
      try {
        const big = await vaultFetch(small.url, 'sys/policies/acl/x', {
          token: small.rootToken,
          body: { policy: 'x'.repeat(100) },
        });
        expect([big.status, big.json]).toEqual([413, { errors: ['http: request body too large'] }]);
      } finally {
        await small.stop();
      }
    });

    it('refuses a login without role_id', async () => {
      const answer = await vaultFetch(vault.url, 'auth/approle/login', {
        body: { secret_id: seed.secretId },
      });
      expect([answer.status, answer.json]).toEqual([400, { errors: ['missing role_id'] }]);
    });
  });

  describe('sys/health and faults', () => {
    it('answers GET with the body and HEAD with the same status and no body', async () => {
      const get = await vaultFetch(vault.url, 'sys/health');
      expect(get.status).toBe(200);
      expect(Object.keys(get.json as object)).toEqual([
        'initialized',
        'sealed',
        'standby',
        'performance_standby',
        'replication_performance_mode',
        'replication_dr_mode',
        'server_time_utc',
        'version',
        'enterprise',
        'cluster_name',
        'cluster_id',
      ]);
      expect(get.json).toMatchObject({
        initialized: true,
        sealed: false,
        standby: false,
        server_time_utc: 1_750_003_200,
      });
      const head = await vaultFetch(vault.url, 'sys/health', { method: 'HEAD' });
      expect([head.status, head.text]).toEqual([200, '']);
    });

    it('seals: 503 everywhere, health per sealedcode', async () => {
      vault.faults.sealed = true;
      const login = await vaultFetch(vault.url, 'auth/approle/login', {
        body: { role_id: seed.roleId, secret_id: seed.secretId },
      });
      expect([login.status, login.json]).toEqual([503, { errors: ['Vault is sealed'] }]);
      const health = await vaultFetch(vault.url, 'sys/health');
      expect(health.status).toBe(503);
      expect(health.json).toMatchObject({ sealed: true, standby: true });
      expect(health.json).not.toHaveProperty('cluster_name');
      expect(
        (await vaultFetch(vault.url, 'sys/health?sealedcode=200', { method: 'HEAD' })).status,
      ).toBe(200);
      expect((await vaultFetch(vault.url, 'sys/seal-status')).json).toMatchObject({
        sealed: true,
        type: 'shamir',
      });
    });

    it('acts as a standby: health 429 (or active with standbyok), 307 with the same path and query', async () => {
      vault.faults.standbyRedirectTo = 'http://127.0.0.1:1';
      expect((await vaultFetch(vault.url, 'sys/health')).status).toBe(429);
      expect((await vaultFetch(vault.url, 'sys/health?standbyok=true')).status).toBe(200);
      expect((await vaultFetch(vault.url, 'sys/health?standbycode=299')).status).toBe(299);
      const redirect = await vaultFetch(vault.url, 'aws/creds/deploy?ttl=1h');
      expect(redirect.status).toBe(307);
      expect(redirect.headers.get('location')).toBe(
        'http://127.0.0.1:1/v1/aws/creds/deploy?ttl=1h',
      );
      expect(redirect.text).toBe('');
    });

    it('acts as a performance standby: health 473 (or active with perfstandbyok), requests answered', async () => {
      vault.faults.performanceStandby = true;
      const health = await vaultFetch(vault.url, 'sys/health');
      expect(health.status).toBe(473);
      expect(health.json).toMatchObject({ standby: true, performance_standby: true });
      expect((await vaultFetch(vault.url, 'sys/health?standbyok=true')).status).toBe(473);
      expect((await vaultFetch(vault.url, 'sys/health?perfstandbyok=true')).status).toBe(200);
      expect((await asRoot('auth/token/lookup-self')).status).toBe(200);
      vault.faults.sealed = true;
      expect((await vaultFetch(vault.url, 'sys/health?perfstandbyok=true')).json).toMatchObject({
        sealed: true,
        performance_standby: false,
      });
    });

    it('while unreachable cuts every connection unanswered, kept-alive ones too, until switched back', async () => {
      expect((await vaultFetch(vault.url, 'sys/health')).status).toBe(200); // a kept-alive connection
      vault.faults.unreachable = true;
      const before = vault.requests.length;
      for (const path of ['sys/health', 'auth/token/lookup-self']) {
        const failure = await vaultFetch(vault.url, path).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(TypeError); // fetch failed: the socket was closed
      }
      expect(vault.requests.length).toBe(before);
      vault.faults.unreachable = false;
      expect((await vaultFetch(vault.url, 'sys/health')).status).toBe(200);
    });

    it('remembers every secret its answers carried: tokens, wrapping tokens, secret_ids', async () => {
      const token = await appToken();
      const wrapped = await asRoot('auth/approle/role/app/secret-id', {
        method: 'POST',
        headers: { 'X-Vault-Wrap-TTL': '60s' },
      });
      const wrappingToken = String(
        (wrapped.json as { wrap_info: { token: string } }).wrap_info.token,
      );
      const unwrapped = await vaultFetch(vault.url, 'sys/wrapping/unwrap', {
        method: 'POST',
        token: wrappingToken,
      });
      const secretId = String(dataOf(unwrapped)['secret_id']);
      expect(vault.issuedSecrets()).toEqual(
        expect.arrayContaining([vault.rootToken, seed.secretId, token, wrappingToken, secretId]),
      );
    });

    it('fails the next n requests or every n-th (health excluded) and delays responses', async () => {
      vault.faults.failNext(2, 500);
      expect((await vaultFetch(vault.url, 'sys/health')).status).toBe(200);
      const first = await asRoot('auth/token/lookup-self');
      expect([first.status, first.json]).toEqual([500, { errors: ['internal error'] }]);
      vault.faults.failNext(1, 429);
      expect((await asRoot('auth/token/lookup-self')).status).toBe(500);
      expect((await asRoot('auth/token/lookup-self')).json).toEqual({
        errors: ['rate limit quota exceeded'],
      });
      expect((await asRoot('auth/token/lookup-self')).status).toBe(200);

      vault.faults.failEvery(3, 500);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await asRoot('auth/token/lookup-self')).status);
      expect(statuses).toEqual([200, 200, 500, 200, 200, 500]);
      vault.faults.clearFailures();
      expect((await asRoot('auth/token/lookup-self')).status).toBe(200);

      vault.faults.delayMs = 150;
      const started = Date.now();
      await vaultFetch(vault.url, 'sys/health');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('counts every request with its method, path and status', async () => {
      const before = vault.requests.length;
      await vaultFetch(vault.url, 'sys/health?standbyok=true');
      await vaultFetch(vault.url, 'auth/token/lookup-self');
      expect(vault.requests.slice(before)).toEqual([
        { method: 'GET', path: '/v1/sys/health', status: 200 },
        { method: 'GET', path: '/v1/auth/token/lookup-self', status: 403 },
      ]);
    });
  });

  describe('response wrapping', () => {
    it('wraps a login response with wrapped_accessor and burns the token on unwrap', async () => {
      const wrapped = await vaultFetch(vault.url, 'auth/approle/login', {
        body: { role_id: seed.roleId, secret_id: seed.secretId },
        headers: { 'X-Vault-Wrap-TTL': '90s' },
      });
      const info = (wrapped.json as { wrap_info: Record<string, unknown> }).wrap_info;
      expect(info['ttl']).toBe(90);
      expect(info['creation_path']).toBe('auth/approle/login');
      expect(info['wrapped_accessor']).toMatch(/^[0-9A-Za-z]{24}$/);

      const unwrap = await vaultFetch(vault.url, 'sys/wrapping/unwrap', {
        token: String(info['token']),
        method: 'POST',
      });
      const auth = (unwrap.json as { auth: { accessor: string } }).auth;
      expect(auth.accessor).toBe(info['wrapped_accessor']);
      const lookup = await vaultFetch(vault.url, 'sys/wrapping/lookup', {
        body: { token: info['token'] },
      });
      expect([lookup.status, lookup.json]).toEqual([
        400,
        { errors: ['wrapping token is not valid or does not exist'] },
      ]);
    });

    it('burns the token when it is sent both in the header and the body', async () => {
      const wrapped = await asRoot('auth/approle/role/app/secret-id', {
        body: {},
        headers: { 'X-Vault-Wrap-TTL': '5m' },
      });
      const token = String((wrapped.json as { wrap_info: { token: string } }).wrap_info.token);
      const both = await vaultFetch(vault.url, 'sys/wrapping/unwrap', { token, body: { token } });
      expect([both.status, both.json]).toEqual([
        400,
        { errors: ['wrapping token is not valid or does not exist'] },
      ]);
      const after = await vaultFetch(vault.url, 'sys/wrapping/unwrap', { token, method: 'POST' });
      expect(after.status).toBe(400);
    });

    it('does not let a wrapping token do anything else', async () => {
      const wrapped = await asRoot('auth/approle/role/app/secret-id', {
        body: {},
        headers: { 'X-Vault-Wrap-TTL': '5m' },
      });
      const token = String((wrapped.json as { wrap_info: { token: string } }).wrap_info.token);
      expect((await vaultFetch(vault.url, 'auth/token/lookup-self', { token })).status).toBe(403);
    });
  });

  describe('policies', () => {
    it('stores HCL and JSON policies under both APIs and lists them', async () => {
      const hcl = 'path "secret/data/team/+/config" {\n  capabilities = ["read"]\n}\n';
      expect(
        (await asRoot('sys/policy/Team', { method: 'PUT', body: { rules: hcl } })).status,
      ).toBe(204);
      expect(dataOf(await asRoot('sys/policies/acl/team'))).toEqual({ name: 'team', policy: hcl });
      expect(dataOf(await asRoot('sys/policy/team'))).toEqual({ name: 'team', rules: hcl });
      await asRoot('sys/policies/acl/json', {
        method: 'PUT',
        body: { policy: '{"path":{"secret/*":{"capabilities":["list"]}}}' },
      });
      expect(dataOf(await asRoot('sys/policies/acl', { method: 'LIST' }))).toEqual({
        keys: ['app', 'default', 'json', 'root', 'team'],
      });
      const broken = await asRoot('sys/policies/acl/broken', {
        method: 'PUT',
        body: { policy: 'path "x" { capabilities = ["fly"] }' },
      });
      expect([broken.status, broken.json]).toEqual([
        400,
        { errors: ['failed to parse policy: path "x": invalid capability "fly"'] },
      ]);
      const rootWrite = await asRoot('sys/policies/acl/root', {
        method: 'PUT',
        body: { policy: '' },
      });
      expect(rootWrite.json).toEqual({ errors: ['cannot update "root" policy'] });
    });

    it('enforces + and * globs with Vault’s priority, deny winning', async () => {
      await asRoot('sys/policies/acl/team', {
        body: {
          policy: [
            'path "secret/data/team/+/config" { capabilities = ["read"] }',
            'path "secret/data/team/*" { capabilities = ["deny"] }',
            'path "secret/data/open*" { capabilities = ["read"] }',
          ].join('\n'),
        },
      });
      for (const path of ['team/a/config', 'team/b/other', 'open/x', 'openly']) {
        await asRoot(`secret/data/${path}`, { body: { data: { path } } });
      }
      const created = await asRoot('auth/token/create', {
        body: { policies: ['team'], ttl: '1h' },
      });
      const token = String((created.json as { auth: { client_token: string } }).auth.client_token);
      const status = async (path: string) =>
        (await vaultFetch(vault.url, `secret/data/${path}`, { token })).status;
      expect(await status('team/a/config')).toBe(200);
      expect(await status('team/b/other')).toBe(403);
      expect(await status('open/x')).toBe(200);
      expect(await status('openly')).toBe(200);
      expect(await status('team/a/config/deeper')).toBe(403);
      // The default policy: self lookup yes, wrapping lookup yes, leases revoke no.
      expect((await vaultFetch(vault.url, 'auth/token/lookup-self', { token })).status).toBe(200);
      expect(
        (await vaultFetch(vault.url, 'sys/leases/revoke', { token, body: { lease_id: 'x' } }))
          .status,
      ).toBe(403);
    });
  });

  describe('tokens', () => {
    it('creates child tokens (revoked with their parent), orphans, periodic and limited-use tokens', async () => {
      await asRoot('sys/policies/acl/minter', {
        body: { policy: 'path "auth/token/create" { capabilities = ["update"] }' },
      });
      const parent = await asRoot('auth/token/create', {
        body: {
          policies: ['app', 'minter'],
          ttl: '2h',
          display_name: 'ci job',
          meta: { team: 'a' },
        },
      });
      const parentAuth = (parent.json as { auth: Record<string, unknown> }).auth;
      expect(parentAuth).toMatchObject({
        policies: ['app', 'default', 'minter'],
        lease_duration: 7200,
        orphan: false,
        metadata: { team: 'a' },
      });
      const parentToken = String(parentAuth['client_token']);
      expect(
        dataOf(await vaultFetch(vault.url, 'auth/token/lookup-self', { token: parentToken })),
      ).toMatchObject({
        display_name: 'token-ci-job',
        path: 'auth/token/create',
      });

      const child = await vaultFetch(vault.url, 'auth/token/create', {
        token: parentToken,
        body: { ttl: '1h' },
      });
      expect((child.json as { auth: { policies: string[] } }).auth.policies).toEqual([
        'app',
        'default',
        'minter',
      ]);
      const childToken = String(
        (child.json as { auth: { client_token: string } }).auth.client_token,
      );
      const escalate = await vaultFetch(vault.url, 'auth/token/create', {
        token: parentToken,
        body: { policies: ['root'] },
      });
      expect(escalate.json).toEqual({
        errors: ['root tokens may not be created without parent token being root'],
      });
      const sideways = await vaultFetch(vault.url, 'auth/token/create', {
        token: parentToken,
        body: { policies: ['team'] },
      });
      expect(sideways.json).toEqual({ errors: ['child policies must be subset of parent'] });

      await vaultFetch(vault.url, 'auth/token/revoke-self', { token: parentToken, method: 'POST' });
      expect(
        (await vaultFetch(vault.url, 'auth/token/lookup-self', { token: childToken })).status,
      ).toBe(403);

      const periodic = await asRoot('auth/token/create-orphan', {
        body: { period: '24h', policies: ['app'] },
      });
      expect((periodic.json as { auth: Record<string, unknown> }).auth).toMatchObject({
        lease_duration: 86400,
        orphan: true,
      });

      const limited = await asRoot('auth/token/create', {
        body: { num_uses: 2, policies: ['app'] },
      });
      const limitedToken = String(
        (limited.json as { auth: { client_token: string } }).auth.client_token,
      );
      expect(
        dataOf(await vaultFetch(vault.url, 'auth/token/lookup-self', { token: limitedToken }))[
          'num_uses'
        ],
      ).toBe(1);
      expect(
        (await vaultFetch(vault.url, 'auth/token/lookup-self', { token: limitedToken })).status,
      ).toBe(200);
      expect(
        (await vaultFetch(vault.url, 'auth/token/lookup-self', { token: limitedToken })).status,
      ).toBe(403);
    });

    it('caps a periodic token with an explicit max TTL and reports the capped TTL', async () => {
      const created = await asRoot('auth/token/create', {
        body: { period: '1h', explicit_max_ttl: '90m', policies: ['app'] },
      });
      const token = String((created.json as { auth: { client_token: string } }).auth.client_token);
      clock.advance(60 * 60_000);
      const renewed = await vaultFetch(vault.url, 'auth/token/renew-self', { token, body: {} });
      expect(
        (renewed.json as { auth: { lease_duration: number }; warnings: unknown }).auth
          .lease_duration,
      ).toBe(1800);
      expect((renewed.json as { warnings: unknown }).warnings).toEqual([
        'TTL of "1h" exceeded the effective max_ttl of "30m"; TTL value is capped accordingly',
      ]);
    });

    it('refuses to renew the root token', async () => {
      const answer = await asRoot('auth/token/renew-self', { body: {} });
      expect([answer.status, answer.json]).toEqual([400, { errors: ['lease is not renewable'] }]);
    });
  });

  describe('leases', () => {
    it('renews, looks up and revokes by body or path suffix, with Vault’s errors', async () => {
      const token = await appToken();
      const creds = await vaultFetch(vault.url, 'aws/creds/legacy', { token });
      const leaseId = String((creds.json as { lease_id: string }).lease_id);
      clock.advance(60_000);
      // The default policy grants sys/leases/renew itself, not the path-suffix form: root renews.
      expect(
        (await vaultFetch(vault.url, `sys/leases/renew/${leaseId}`, { token, method: 'PUT' }))
          .status,
      ).toBe(403);
      const renewed = await asRoot(`sys/leases/renew/${leaseId}`, {
        method: 'PUT',
        body: { increment: '2h' },
      });
      expect(renewed.json).toMatchObject({
        lease_id: leaseId,
        renewable: true,
        lease_duration: 7200,
        data: null,
      });
      const lookup = await vaultFetch(vault.url, 'sys/leases/lookup', {
        token,
        method: 'PUT',
        body: { lease_id: leaseId },
      });
      expect(dataOf(lookup)).toEqual({
        id: leaseId,
        issue_time: '2025-06-15T16:00:00.5Z',
        expire_time: '2025-06-15T18:01:00.5Z',
        last_renewal: '2025-06-15T16:01:00.5Z',
        renewable: true,
        ttl: 7199,
      });
      const missing = await vaultFetch(vault.url, 'sys/leases/lookup', { token, body: {} });
      expect([missing.status, missing.json]).toEqual([
        400,
        { errors: ['lease_id must be specified'] },
      ]);
      expect(
        (
          await asRoot('sys/leases/revoke', {
            method: 'PUT',
            body: { lease_id: leaseId, sync: false },
          })
        ).status,
      ).toBe(202);
      expect(
        (await vaultFetch(vault.url, 'sys/leases/renew', { token, body: { lease_id: leaseId } }))
          .json,
      ).toEqual({
        errors: ['lease not found'],
      });
    });

    it('expires an iam_user lease on the moved clock and deletes its key', async () => {
      await asRoot('aws/config/lease', { body: { lease: '30m', lease_max: '12h' } });
      expect(dataOf(await asRoot('aws/config/lease'))).toEqual({
        lease: '30m0s',
        lease_max: '12h0m0s',
      });
      const token = await appToken();
      const creds = await vaultFetch(vault.url, 'aws/creds/legacy', { token });
      expect((creds.json as { lease_duration: number }).lease_duration).toBe(1800);
      const key = String(dataOf(creds)['access_key']);
      clock.advance(1801_000);
      await vaultFetch(vault.url, 'sys/health');
      await asRoot('auth/token/lookup-self');
      expect(vault.aws.findAccessKey(key)).toBeUndefined();
    });
  });

  describe('AWS engine configuration', () => {
    it('validates roles like Vault and hides the root secret key', async () => {
      const none = await asRoot('aws/roles/bad', {
        body: { role_arns: 'arn:aws:iam::123456789012:role/X' },
      });
      expect(none.json).toEqual({
        errors: [
          'error(s) validating supplied role data: "2 errors occurred:\\n\\t* did not supply credential_type\\n\\t* cannot supply role_arns when credential_type isn\'t assumed_role\\n\\n"',
        ],
      });
      expect(dataOf(await asRoot('aws/roles/deploy'))).toMatchObject({
        credential_type: 'assumed_role',
        role_arns: ['arn:aws:iam::123456789012:role/Deploy'],
      });
      await asRoot('aws/config/root', {
        body: {
          access_key: 'AKIAVAULTROOT0000000',
          secret_key: 'x'.repeat(40),
          region: 'eu-west-1',
        },
      });
      expect(dataOf(await asRoot('aws/config/root'))).toEqual({
        access_key: 'AKIAVAULTROOT0000000',
        region: 'eu-west-1',
        iam_endpoint: '',
        sts_endpoint: '',
        max_retries: -1,
        username_template: '',
      });
      const missing = await asRoot('aws/creds/ghost');
      expect(missing.json).toEqual({ errors: ['Role "ghost" not found'] });
      const short = await asRoot('aws/sts/deploy', { body: { ttl: '60s' } });
      expect((short.json as { errors: string[] }).errors[0]).toMatch(
        /^Error assuming role: ValidationError: 1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900\n\tstatus code: 400, request id: /,
      );
    });
  });

  describe('KV v2', () => {
    it('versions, soft-deletes with a 404 that carries metadata, enforces CAS, warns on v1 paths', async () => {
      const first = await asRoot('secret/data/app/db', { body: { data: { password: 'one' } } });
      expect(dataOf(first)).toEqual({
        created_time: '2025-06-15T16:00:00.5Z',
        custom_metadata: null,
        deletion_time: '',
        destroyed: false,
        version: 1,
      });
      clock.advance(1000);
      await asRoot('secret/data/app/db', {
        body: { data: { password: 'two' }, options: { cas: 1 } },
      });
      const stale = await asRoot('secret/data/app/db', {
        body: { data: { password: 'x' }, options: { cas: 1 } },
      });
      expect(stale.json).toEqual({
        errors: ['check-and-set parameter did not match the current version'],
      });
      expect((await asRoot('secret/data/app/db', { body: { options: {} } })).json).toEqual({
        errors: ['no data provided'],
      });

      expect(dataOf(await asRoot('secret/data/app/db'))).toMatchObject({
        data: { password: 'two' },
        metadata: { version: 2 },
      });
      expect(dataOf(await asRoot('secret/data/app/db?version=1'))).toMatchObject({
        data: { password: 'one' },
      });

      expect((await asRoot('secret/data/app/db', { method: 'DELETE' })).status).toBe(204);
      const deleted = await asRoot('secret/data/app/db');
      expect(deleted.status).toBe(404);
      expect(dataOf(deleted)).toEqual({
        data: null,
        metadata: {
          created_time: '2025-06-15T16:00:01.5Z',
          custom_metadata: null,
          deletion_time: '2025-06-15T16:00:01.5Z',
          destroyed: false,
          version: 2,
        },
      });
      const metadata = dataOf(await asRoot('secret/metadata/app/db'));
      expect(metadata).toMatchObject({ current_version: 2, oldest_version: 1, max_versions: 0 });
      expect(Object.keys(metadata['versions'] as object)).toEqual(['1', '2']);

      const v1Style = await asRoot('secret/app/db');
      expect(v1Style.status).toBe(404);
      expect(v1Style.json).toMatchObject({
        data: null,
        warnings: [
          expect.stringMatching(/^Invalid path for a versioned K\/V secrets engine/) as unknown,
        ],
      });
      expect((await asRoot('secret/data/app/missing')).json).toEqual({ errors: [] });
    });
  });

  describe('mounts', () => {
    it('enables, lists, tunes and refuses duplicate or unknown engines', async () => {
      expect((await asRoot('sys/mounts/aws', { body: { type: 'aws' } })).json).toEqual({
        errors: ['path is already in use at aws/'],
      });
      expect((await asRoot('sys/mounts/x', { body: { type: 'nomad' } })).json).toEqual({
        errors: ['plugin not found in the catalog: nomad'],
      });
      const mounts = dataOf(await asRoot('sys/mounts'));
      expect(Object.keys(mounts).sort()).toEqual(['aws/', 'secret/', 'sys/']);
      expect(mounts['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
      expect(Object.keys(dataOf(await asRoot('sys/auth'))).sort()).toEqual(['approle/', 'token/']);

      await asRoot('sys/mounts/aws/tune', { body: { max_lease_ttl: '30m' } });
      const token = await appToken();
      const capped = await vaultFetch(vault.url, 'aws/sts/deploy', { token, body: { ttl: '2h' } });
      expect((capped.json as { lease_duration: number }).lease_duration).toBe(1800);
    });
  });
});

describe('sys/capabilities-self', () => {
  let vault: FakeVault;
  let seed: AppRoleCredentials;
  beforeEach(async () => {
    vault = await startFakeVault({ now: new ManualClock(START_MS).now });
    seed = await seedVault(vault);
  });
  afterEach(() => vault.stop());

  it("reports the caller's capabilities per path, deny where no rule matches, root for root", async () => {
    const login = await vaultFetch(vault.url, 'auth/approle/login', {
      body: { role_id: seed.roleId, secret_id: seed.secretId },
    });
    const token = String((login.json as { auth: { client_token: string } }).auth.client_token);
    const paths = ['aws/sts/app', 'secret/data/elsewhere'];
    const answer = await vaultFetch(vault.url, 'sys/capabilities-self', {
      token: vault.rootToken,
      body: { paths },
    });
    expect(dataOf(answer)).toEqual({ 'aws/sts/app': ['root'], 'secret/data/elsewhere': ['root'] });

    // The seeded `app` policy: `aws/sts/+` read and update, nothing under secret/data/elsewhere.
    const mine = await vaultFetch(vault.url, 'sys/capabilities-self', { token, body: { paths } });
    expect(mine.status).toBe(200);
    expect(dataOf(mine)).toEqual({
      'aws/sts/app': ['read', 'update'],
      'secret/data/elsewhere': ['deny'],
    });
    const one = await vaultFetch(vault.url, 'sys/capabilities-self', {
      token,
      body: { path: 'aws/sts/app' },
    });
    expect(dataOf(one)).toEqual({
      capabilities: ['read', 'update'],
      'aws/sts/app': ['read', 'update'],
    });
  });
});
