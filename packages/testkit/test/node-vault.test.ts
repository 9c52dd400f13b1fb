import nodeVault from 'node-vault';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppRoleCredentials, type FakeVault, startFakeVault } from '../src/index.js';
import { ManualClock, START_MS } from './support/manual-clock.js';
import { seedVault } from './support/seed.js';

// node-vault 0.12.0 (axios underneath) as the real client: what the agent's VaultSession uses.

const ENVELOPE_KEYS = [
  'request_id',
  'lease_id',
  'renewable',
  'lease_duration',
  'data',
  'wrap_info',
  'warnings',
  'auth',
  'mount_type',
];

interface ClientError {
  message: string;
  response: { statusCode: number; body: { errors: string[] } };
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('expected the request to fail');
}

describe('node-vault 0.12.0 against the fake Vault', () => {
  let clock: ManualClock;
  let vault: FakeVault;
  let seed: AppRoleCredentials;

  beforeEach(async () => {
    clock = new ManualClock(START_MS);
    vault = await startFakeVault({ now: clock.now });
    seed = await seedVault(vault);
  });
  afterEach(() => vault.stop());

  const client = (token?: string): nodeVault.client =>
    nodeVault({ endpoint: vault.url, ...(token !== undefined && { token }) });
  const root = (): nodeVault.client => client(vault.rootToken);
  const loggedIn = async (): Promise<nodeVault.client> => {
    const app = client();
    await app.approleLogin({ role_id: seed.roleId, secret_id: seed.secretId });
    return app;
  };

  describe('AppRole login', () => {
    it('answers the full envelope with an auth block of a service token with the role policies', async () => {
      const app = client();
      const response = await app.approleLogin({ role_id: seed.roleId, secret_id: seed.secretId });

      expect(Object.keys(response)).toEqual(ENVELOPE_KEYS);
      expect(response).toMatchObject({
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: null,
        wrap_info: null,
        warnings: null,
        mount_type: 'approle',
      });
      expect(response.request_id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(Object.keys(response.auth)).toEqual([
        'client_token',
        'accessor',
        'policies',
        'token_policies',
        'metadata',
        'lease_duration',
        'renewable',
        'entity_id',
        'token_type',
        'orphan',
        'mfa_requirement',
        'num_uses',
      ]);
      expect(response.auth).toMatchObject({
        policies: ['app', 'default'],
        token_policies: ['app', 'default'],
        metadata: { role_name: 'app' },
        lease_duration: 1200,
        renewable: true,
        token_type: 'service',
        orphan: true,
        mfa_requirement: null,
        num_uses: 0,
      });
      expect(response.auth.client_token).toMatch(/^hvs\.[0-9A-Za-z]{24}$/);
      expect(response.auth.accessor).toMatch(/^[0-9A-Za-z]{24}$/);
      expect(response.auth.entity_id).toMatch(/^[0-9a-f-]{36}$/);
      // tokenSource: node-vault adopts the new token.
      expect(app.token).toBe(response.auth.client_token);
    });

    it('refuses a wrong or missing secret_id with Vault’s 400 messages', async () => {
      // (node-vault's schema refuses a missing role_id before sending; see vault-wire.test.ts.)
      const wrongSecret = await failure(
        client().approleLogin({ role_id: seed.roleId, secret_id: 'nope' }),
      );
      expect(wrongSecret.response).toEqual({
        statusCode: 400,
        body: { errors: ['invalid role or secret ID'] },
      });
      const noSecret = await failure(client().approleLogin({ role_id: seed.roleId }));
      expect(noSecret.message).toBe('missing secret_id');
    });

    it('lets the last use of a limited secret_id log in and refuses the next', async () => {
      // node-vault's getApproleRoleSecret only forwards metadata and cidr_list: write directly.
      const limited = await root().write('auth/approle/role/app/secret-id', { num_uses: 2 });
      expect(limited.data.secret_id_num_uses).toBe(2);
      const secretId: string = limited.data.secret_id;
      await client().approleLogin({ role_id: seed.roleId, secret_id: secretId });
      const lookup = await root().write('auth/approle/role/app/secret-id/lookup', {
        secret_id: secretId,
      });
      expect(lookup.data.secret_id_num_uses).toBe(1);
      await client().approleLogin({ role_id: seed.roleId, secret_id: secretId });
      const third = await failure(
        client().approleLogin({ role_id: seed.roleId, secret_id: secretId }),
      );
      expect(third.message).toBe('invalid role or secret ID');
    });

    it('stops accepting a secret_id once its ttl has passed on the fake clock', async () => {
      const shortLived = await root().write('auth/approle/role/app/secret-id', { ttl: '10m' });
      expect(shortLived.data.secret_id_ttl).toBe(600);
      const lookup = await root().write('auth/approle/role/app/secret-id/lookup', {
        secret_id: shortLived.data.secret_id,
      });
      expect(lookup.data).toMatchObject({
        creation_time: '2025-06-15T16:00:00.5Z',
        expiration_time: '2025-06-15T16:10:00.5Z',
        metadata: {},
        secret_id_ttl: 600,
      });
      clock.advance(600_001);
      const late = await failure(
        client().approleLogin({ role_id: seed.roleId, secret_id: shortLived.data.secret_id }),
      );
      expect(late.message).toBe('invalid role or secret ID');
    });
  });

  describe('response-wrapped secret_id', () => {
    it('wraps, looks up the creation_path, unwraps once with the wrapping token, and logs in', async () => {
      const wrapped = await root().getApproleRoleSecret({
        role_name: 'app',
        metadata: JSON.stringify({ virtual_machine_name: 'vm-42' }),
        requestOptions: { headers: { 'X-Vault-Wrap-TTL': '5m' } },
      });
      expect(wrapped).toMatchObject({
        request_id: '',
        lease_id: '',
        lease_duration: 0,
        data: null,
        auth: null,
        mount_type: '',
      });
      expect(Object.keys(wrapped.wrap_info)).toEqual([
        'token',
        'accessor',
        'ttl',
        'creation_time',
        'creation_path',
      ]);
      expect(wrapped.wrap_info).toMatchObject({
        ttl: 300,
        creation_time: '2025-06-15T16:00:00.5Z',
        creation_path: 'auth/approle/role/app/secret-id',
      });
      const wrappingToken: string = wrapped.wrap_info.token;

      // sys/wrapping/lookup works without any token.
      const lookup = await client().write('sys/wrapping/lookup', { token: wrappingToken });
      expect(lookup.data).toEqual({
        creation_path: 'auth/approle/role/app/secret-id',
        creation_time: '2025-06-15T16:00:00.5Z',
        creation_ttl: 300,
      });

      const agent = client(wrappingToken);
      const unwrapped = await agent.unwrap();
      expect(Object.keys(unwrapped.data).sort()).toEqual([
        'secret_id',
        'secret_id_accessor',
        'secret_id_num_uses',
        'secret_id_ttl',
      ]);
      expect(unwrapped.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(unwrapped.mount_type).toBe('approle');

      const again = await failure(agent.unwrap());
      expect(again.response).toEqual({
        statusCode: 400,
        body: { errors: ['wrapping token is not valid or does not exist'] },
      });

      agent.token = '';
      const login = await agent.approleLogin({
        role_id: seed.roleId,
        secret_id: unwrapped.data.secret_id,
      });
      expect(login.auth.metadata).toEqual({ role_name: 'app', virtual_machine_name: 'vm-42' });
    });

    it('unwraps with the wrapping token in the body under another token, and rejects an expired one', async () => {
      const first = await root().getApproleRoleSecret({
        role_name: 'app',
        requestOptions: { headers: { 'X-Vault-Wrap-TTL': 60 } },
      });
      const app = await loggedIn();
      const unwrapped = await app.unwrap({ token: first.wrap_info.token });
      expect(typeof unwrapped.data.secret_id).toBe('string');

      const second = await root().getApproleRoleSecret({
        role_name: 'app',
        requestOptions: { headers: { 'X-Vault-Wrap-TTL': 60 } },
      });
      clock.advance(61_000);
      const expired = await failure(client(second.wrap_info.token).unwrap());
      expect(expired.response.statusCode).toBe(400);
      expect(expired.message).toBe('wrapping token is not valid or does not exist');
    });
  });

  describe('token self-management', () => {
    it('looks itself up with Vault’s fields', async () => {
      const app = await loggedIn();
      const self = await app.tokenLookupSelf();
      expect(self.data).toMatchObject({
        creation_ttl: 1200,
        // Vault: expire_time − now rounded to the second (16:00:00.5 rounds up), truncated.
        ttl: 1199,
        display_name: 'approle',
        path: 'auth/approle/login',
        policies: ['app', 'default'],
        meta: { role_name: 'app' },
        orphan: true,
        renewable: true,
        num_uses: 0,
        explicit_max_ttl: 0,
        type: 'service',
        id: app.token,
        creation_time: 1_750_003_200,
        issue_time: '2025-06-15T16:00:00.5Z',
        expire_time: '2025-06-15T16:20:00.5Z',
      });
      expect(self.data).not.toHaveProperty('last_renewal');
    });

    it('renews, caps at the max TTL with Vault’s warning, then answers past the max TTL', async () => {
      const app = await loggedIn();
      clock.advance(10 * 60_000);
      const plain = await app.tokenRenewSelf();
      expect(plain.auth.lease_duration).toBe(1200);
      expect(plain.warnings).toBeNull();

      const capped = await app.tokenRenewSelf({ increment: '1h' });
      expect(capped.auth.lease_duration).toBe(3000);
      expect(capped.warnings).toEqual([
        'TTL of "1h" exceeded the effective max_ttl of "50m"; TTL value is capped accordingly',
      ]);
      const self = await app.tokenLookupSelf();
      expect(self.data.last_renewal).toBe('2025-06-15T16:10:00.5Z');
      expect(self.data.ttl).toBe(2999);

      // The token lives until 17:00:00.5; at 17:00:00.2 it is valid but the max TTL is reached.
      clock.set(START_MS + 3_600_000 - 300);
      const past = await failure(app.tokenRenewSelf());
      expect(past.response).toEqual({
        statusCode: 500,
        body: { errors: ['past the max TTL, cannot renew'] },
      });

      clock.advance(1_000);
      const gone = await failure(app.tokenLookupSelf());
      expect(gone.response).toEqual({
        statusCode: 403,
        body: { errors: ['permission denied', 'invalid token'] },
      });
    });

    it('revoke-self revokes the token and every lease it created', async () => {
      const app = await loggedIn();
      const iamUser = await app.read('aws/creds/legacy');
      const assumed = await app.read('aws/creds/deploy');
      expect(vault.aws.findAccessKey(iamUser.data.access_key)).toBeDefined();

      const revoked = await app.tokenRevokeSelf();
      expect(revoked).toBe('');
      expect(vault.aws.findAccessKey(iamUser.data.access_key)).toBeUndefined();
      for (const leaseId of [iamUser.lease_id, assumed.lease_id]) {
        const lookup = await failure(root().write('sys/leases/lookup', { lease_id: leaseId }));
        expect(lookup.response).toEqual({ statusCode: 400, body: { errors: ['invalid lease'] } });
      }
      const after = await failure(app.tokenLookupSelf());
      expect(after.response.body.errors).toEqual(['permission denied', 'invalid token']);
    });
  });

  describe('AWS engine', () => {
    it('issues assumed_role credentials with both token fields, the ARN and a non-renewable lease', async () => {
      const app = await loggedIn();
      const creds = await app.read('aws/creds/deploy');
      expect(Object.keys(creds.data).sort()).toEqual([
        'access_key',
        'arn',
        'secret_key',
        'security_token',
        'session_token',
      ]);
      expect(creds.data.access_key).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(creds.data.secret_key).toHaveLength(40);
      expect(creds.data.session_token).toBe(creds.data.security_token);
      expect(creds.data.session_token.length).toBeGreaterThan(400);
      expect(creds.data.arn).toMatch(
        /^arn:aws:sts::123456789012:assumed-role\/Deploy\/vault-approle-deploy-1750003200-[0-9A-Za-z]{20}$/,
      );
      expect(creds).toMatchObject({ renewable: false, lease_duration: 3600, mount_type: 'aws' });
      expect(creds.lease_id).toMatch(/^aws\/creds\/deploy\/[0-9A-Za-z]{24}$/);
      expect(vault.aws.findAccessKey(creds.data.access_key)).toMatchObject({
        arn: creds.data.arn,
        account: '123456789012',
        sessionToken: creds.data.session_token,
        expiresAtMs: START_MS + 3_600_000,
      });
    });

    it('issues iam_user keys with a renewable lease and session_token null', async () => {
      const app = await loggedIn();
      const creds = await app.read('aws/creds/legacy');
      expect(creds.data).toEqual({
        access_key: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/) as unknown,
        secret_key: expect.any(String) as unknown,
        security_token: null,
        session_token: null,
      });
      expect(creds).toMatchObject({ renewable: true, lease_duration: 768 * 3600 });
      expect(vault.aws.findAccessKey(creds.data.access_key)?.arn).toMatch(
        /^arn:aws:iam::123456789012:user\/vault-approle-legacy-1750003200-[0-9A-Za-z]{20}$/,
      );

      const renewed = await app.renew({ lease_id: creds.lease_id, increment: 3600 });
      expect(renewed).toMatchObject({
        lease_id: creds.lease_id,
        renewable: true,
        lease_duration: 3600,
      });
    });

    it('issues federation_token and session_token credentials for their own principals', async () => {
      const app = await loggedIn();
      const federated = await app.write('aws/sts/federated', {});
      expect(vault.aws.findAccessKey(federated.data.access_key)?.arn).toMatch(
        /^arn:aws:sts::123456789012:federated-user\/vault-1750003200-[0-9A-Za-z]{15}$/,
      );
      expect(federated.data).not.toHaveProperty('arn');
      const session = await app.read('aws/creds/session');
      expect(vault.aws.findAccessKey(session.data.access_key)?.arn).toBe(
        'arn:aws:iam::123456789012:user/vault-root',
      );
      expect(session).toMatchObject({ renewable: false, lease_duration: 3600 });
    });

    it('honours ttl from the query of a GET and the body of a POST, and no_lease', async () => {
      const app = await loggedIn();
      expect((await app.read('aws/sts/deploy?ttl=15m')).lease_duration).toBe(900);
      expect((await app.write('aws/sts/deploy', { ttl: '2h' })).lease_duration).toBe(7200);
      const noLease = await app.read('aws/creds/nolease');
      expect(noLease).toMatchObject({ lease_id: '', lease_duration: 0, renewable: false });
      expect(noLease.data.ttl).toBe(3600);
    });

    it('refuses to renew an STS lease and a role_arn the role does not allow', async () => {
      const app = await loggedIn();
      const creds = await app.read('aws/creds/deploy');
      const renew = await failure(app.renew({ lease_id: creds.lease_id }));
      expect(renew.response).toEqual({
        statusCode: 400,
        body: { errors: ['lease is not renewable'] },
      });
      const wrongArn = await failure(
        app.write('aws/sts/deploy', { role_arn: 'arn:aws:iam::123456789012:role/Other' }),
      );
      expect(wrongArn.message).toBe(
        'role_arn "arn:aws:iam::123456789012:role/Other" not in allowed role arns for Vault role "deploy"',
      );
    });
  });

  it('lists with the LIST verb (and with ?list=1 when custom verbs are off)', async () => {
    await root().write('auth/approle/role/batch-jobs', { token_policies: 'app' });
    expect((await root().list('auth/approle/role')).data).toEqual({ keys: ['app', 'batch-jobs'] });
    const plain = nodeVault({
      endpoint: vault.url,
      token: vault.rootToken,
      noCustomHTTPVerbs: true,
    });
    expect((await plain.list('aws/roles')).data.keys).toEqual([
      'deploy',
      'federated',
      'legacy',
      'nolease',
      'session',
    ]);
    expect(vault.requests.slice(-2).map((request) => request.method)).toEqual(['LIST', 'GET']);
  });

  it('denies a path the policy does not grant with 403 permission denied', async () => {
    const app = await loggedIn();
    const read = await failure(app.read('secret/data/other'));
    expect(read.response).toEqual({ statusCode: 403, body: { errors: ['permission denied'] } });
    const write = await failure(
      app.write('sys/policies/acl/mine', { policy: 'path "*" { capabilities = ["sudo"] }' }),
    );
    expect(write.response.statusCode).toBe(403);
  });

  it('follows a standby’s 307 to the active node, keeping the POST body and X-Vault-Token', async () => {
    // Answer: yes. axios (follow-redirects) re-sends method and body on 307, and drops only
    // Authorization/Cookie/Proxy-Authorization when the host:port changes; X-Vault-Token stays.
    const standby = await startFakeVault();
    try {
      standby.faults.standbyRedirectTo = vault.url;
      const viaStandby = nodeVault({ endpoint: standby.url });
      const login = await viaStandby.approleLogin({
        role_id: seed.roleId,
        secret_id: seed.secretId,
      });
      expect(login.auth.policies).toEqual(['app', 'default']);
      const self = await viaStandby.tokenLookupSelf();
      expect(self.data.id).toBe(login.auth.client_token);

      expect(standby.requests).toEqual([
        { method: 'POST', path: '/v1/auth/approle/login', status: 307 },
        { method: 'GET', path: '/v1/auth/token/lookup-self', status: 307 },
      ]);
      expect(vault.requests.slice(-2)).toEqual([
        { method: 'POST', path: '/v1/auth/approle/login', status: 200 },
        { method: 'GET', path: '/v1/auth/token/lookup-self', status: 200 },
      ]);
    } finally {
      await standby.stop();
    }
  });
});
