import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSIONS } from '../src/index.js';
import type { AzureHarness } from './support.js';
import { claimsOf, FACTS, get, startAzure, USER_ASSIGNED } from './support.js';

/** The exact bodies of reference/azure-imds.md §0.2, §1.2, §1.6. */
const IDENTITY_HEADER_MISSING =
  '{"error":"invalid_request","error_description":"Required metadata header not specified"}';
const INSTANCE_HEADER_MISSING = '{"error":"Bad request: . Required metadata header not specified"}';
const BAD_VERSION =
  '{"error":"Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds","newest-versions":["2025-04-07","2024-07-17","2024-03-15"]}';
const ARM = 'https://management.azure.com/';
const TOKEN = '/metadata/identity/oauth2/token?api-version=2018-02-01';
const INSTANCE = '/metadata/instance';

let imds: AzureHarness;
beforeAll(async () => {
  imds = await startAzure({
    instance: { location: 'westeurope', subscriptionId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d' },
  });
});
afterAll(() => imds.close());

describe('guards', () => {
  it('answers the header-less probe at once with the exact 400 (§0.3), before Vault is asked', async () => {
    const started = performance.now();
    const res = await get(imds.port, '/metadata/identity/oauth2/token', {
      Accept: 'application/json',
    });
    expect(performance.now() - started).toBeLessThan(100);
    expect(res.status).toBe(400);
    expect(res.text).toBe(IDENTITY_HEADER_MISSING);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['server']).toBe('Microsoft-IIS/10.0');
    expect(imds.vault.requests.some((r) => r.path.startsWith('/v1/azure/creds'))).toBe(false);
  });

  it('refuses a missing Metadata header on the instance path with its own body', async () => {
    const res = await get(imds.port, `${INSTANCE}?api-version=2021-02-01`, {});
    expect([res.status, res.text]).toEqual([400, INSTANCE_HEADER_MISSING]);
  });

  it('accepts Metadata: True in any case', async () => {
    const res = await get(
      imds.port,
      `${INSTANCE}/compute/vmId?api-version=2021-02-01&format=text`,
      {
        Metadata: 'True',
      },
    );
    expect(res.status).toBe(200);
  });

  it('refuses X-Forwarded-For even with Metadata: true', async () => {
    const res = await get(imds.port, `${TOKEN}&resource=${ARM}`, {
      Metadata: 'true',
      'X-Forwarded-For': '203.0.113.9',
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it.each([
    ['missing', `${INSTANCE}`],
    ['unknown', `${INSTANCE}?api-version=2099-01-01`],
    ['too old for identity', '/metadata/identity/oauth2/token?api-version=2017-12-01&resource=x'],
  ])('answers a %s api-version with the documented body', async (_, path) => {
    const res = await get(imds.port, path);
    expect([res.status, res.text]).toEqual([400, BAD_VERSION]);
  });

  it('lists the versions without an api-version', async () => {
    const res = await get(imds.port, '/metadata/versions');
    expect(res.json()).toEqual({ apiVersions: API_VERSIONS });
  });

  it('rejects duplicate query parameters and verbs other than GET', async () => {
    expect(
      (await get(imds.port, `${INSTANCE}?api-version=2021-02-01&api-version=2021-02-01`)).status,
    ).toBe(400);
    expect(
      (await get(imds.port, `${INSTANCE}?api-version=2021-02-01`, { Metadata: 'true' }, 'POST'))
        .status,
    ).toBe(405);
  });

  it('passes paths it does not own to the next dialect, and 404s unknown /metadata paths', async () => {
    expect((await get(imds.port, '/latest/meta-data/')).status).toBe(404);
    const res = await get(imds.port, '/metadata/nothing?api-version=2021-02-01');
    expect([res.status, res.headers['server']]).toEqual([404, 'Microsoft-IIS/10.0']);
  });
});

describe('/metadata/instance', () => {
  it('serves compute and network, every primitive a string', async () => {
    const res = await get(imds.port, `${INSTANCE}?api-version=2021-02-01`);
    const doc = res.json<{ compute: Record<string, unknown>; network: { interface: unknown[] } }>();
    expect(doc.compute).toMatchObject({
      name: FACTS.hostname,
      location: 'westeurope',
      subscriptionId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
      resourceGroupName: 'guise',
      osType: 'Linux',
      azEnvironment: 'AzurePublicCloud',
      tags: 'env:ci;team:platform',
      tagsList: [
        { name: 'env', value: 'ci' },
        { name: 'team', value: 'platform' },
      ],
      platformFaultDomain: '0',
    });
    expect(doc.compute['vmId']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // Introduced after 2021-02-01: absent.
    expect(doc.compute).not.toHaveProperty('securityProfile');
    expect(doc.network.interface).toEqual([
      {
        ipv4: {
          ipAddress: [{ privateIpAddress: '10.1.2.3', publicIpAddress: '' }],
          subnet: [{ address: '10.1.2.0', prefix: '24' }],
        },
        ipv6: { ipAddress: [] },
        macAddress: '0A1B2C3D4E5F',
      },
    ]);
  });

  it('leaves out fields newer than the requested version', async () => {
    const old = (await get(imds.port, `${INSTANCE}/compute?api-version=2017-04-02`)).json();
    expect(old).toHaveProperty('vmId');
    expect(old).not.toHaveProperty('subscriptionId'); // 2017-08-01
  });

  it('filters routes; leaves need format=text', async () => {
    const path = `${INSTANCE}/network/interface/0/ipv4/ipAddress/0/privateIpAddress?api-version=2021-02-01`;
    const text = await get(imds.port, `${path}&format=text`);
    expect([text.status, text.text, text.headers['content-type']]).toEqual([
      200,
      '10.1.2.3',
      'text/plain; charset=utf-8',
    ]);
    expect((await get(imds.port, path)).status).toBe(400);
    // What MSAL's region discovery asks (§3.4).
    const region = await get(
      imds.port,
      `${INSTANCE}/compute/location?format=text&api-version=2021-01-01`,
    );
    expect(region.text).toBe('westeurope');
    expect(
      (await get(imds.port, `${INSTANCE}/compute/nothing?api-version=2021-02-01&format=text`))
        .status,
    ).toBe(404);
  });

  it('lists a directory in format=text, sub-directories with a slash', async () => {
    const res = await get(
      imds.port,
      `${INSTANCE}/network/interface/0?api-version=2021-02-01&format=text`,
    );
    expect(res.text).toBe('ipv4/\nipv6/\nmacAddress');
  });

  it('treats /metadata case-insensitively (§0.10)', async () => {
    const res = await get(
      imds.port,
      `/METADATA/instance/compute/name?api-version=2021-02-01&format=text`,
    );
    expect(res.text).toBe(FACTS.hostname);
  });

  it('takes the route from the rest of the path, trailing slash or not, and nothing else', async () => {
    const slash = await get(
      imds.port,
      `${INSTANCE}/compute/name/?api-version=2021-02-01&format=text`,
    );
    expect(slash.text).toBe(FACTS.hostname);
    const root = await get(imds.port, `${INSTANCE}/?api-version=2021-02-01`);
    expect(root.json()).toHaveProperty('compute');
    expect((await get(imds.port, `${INSTANCE}x?api-version=2021-02-01`)).status).toBe(404);
  });
});

describe('/metadata/identity/oauth2/token', () => {
  afterEach(() => {
    imds.tenant.propagationDelayMs = 0;
  });

  it('issues the Vault principal’s token, every field a string, resource echoed, expiry arithmetic right', async () => {
    const before = Math.floor(imds.clock.now() / 1000);
    const res = await get(imds.port, `${TOKEN}&resource=${encodeURIComponent(ARM)}`);
    expect(res.status).toBe(200);
    const body = res.json<Record<string, string>>();
    expect(Object.keys(body)).toEqual([
      'access_token',
      'client_id',
      'expires_in',
      'expires_on',
      'ext_expires_in',
      'not_before',
      'refresh_token',
      'resource',
      'token_type',
    ]);
    for (const value of Object.values(body)) expect(typeof value).toBe('string');
    const claims = imds.azure.verifyToken(body['access_token'] ?? '');
    const principal = imds.tenant.principals().find((p) => p.appId === claims?.appid);
    expect(principal).toBeDefined();
    expect(claims).toMatchObject({ tid: imds.tenant.tenantId, oid: principal?.objectId, aud: ARM });
    expect(body).toMatchObject({
      resource: ARM,
      token_type: 'Bearer',
      refresh_token: '',
      client_id: principal?.appId,
      expires_on: String(claims?.exp),
      not_before: String(claims?.nbf),
    });
    expect(Number(body['expires_in'])).toBe((claims?.exp ?? 0) - before);
    expect(Number(body['expires_on'])).toBe(before + 3599);
  });

  it('echoes the resource exactly, trailing slash and unencoded URL included (§0.10)', async () => {
    const res = await get(imds.port, `${TOKEN}&resource=https://vault.azure.net`);
    expect(res.json()).toMatchObject({ resource: 'https://vault.azure.net' });
    expect(claimsOf(res.json<{ access_token: string }>().access_token)).toMatchObject({
      aud: 'https://vault.azure.net',
    });
    const slash = await get(
      imds.port,
      `/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https://management.core.windows.net/`,
    );
    expect(slash.json()).toMatchObject({ resource: 'https://management.core.windows.net/' });
    // Entra's rule: everything before the last slash of the scope is the audience (§5.1).
    expect(claimsOf(slash.json<{ access_token: string }>().access_token)['aud']).toBe(
      'https://management.core.windows.net/',
    );
  });

  it('selects the user-assigned identity by client_id, object_id or msi_res_id and echoes the selector', async () => {
    const byClient = await get(
      imds.port,
      `${TOKEN}&resource=${ARM}&client_id=${USER_ASSIGNED.clientId.toUpperCase()}`,
    );
    expect(byClient.json()).toMatchObject({ client_id: USER_ASSIGNED.clientId });
    const byObject = await get(
      imds.port,
      `${TOKEN}&resource=${ARM}&object_id=${USER_ASSIGNED.objectId}`,
    );
    expect(byObject.json()).toMatchObject({ object_id: USER_ASSIGNED.objectId });
    const byResource = await get(
      imds.port,
      `${TOKEN}&resource=${ARM}&msi_res_id=${encodeURIComponent(USER_ASSIGNED.resourceId)}`,
    );
    expect(byResource.json()).toMatchObject({ msi_res_id: USER_ASSIGNED.resourceId });
    const system = claimsOf(
      (await get(imds.port, `${TOKEN}&resource=${ARM}`)).json<{ access_token: string }>()
        .access_token,
    );
    const user = claimsOf(byClient.json<{ access_token: string }>().access_token);
    expect(user['oid']).not.toBe(system['oid']);
  });

  it('answers selection errors with the exact bodies', async () => {
    const unknown = await get(
      imds.port,
      `${TOKEN}&resource=${ARM}&client_id=00000000-0000-0000-0000-000000000001`,
    );
    expect([unknown.status, unknown.text]).toEqual([
      400,
      '{"error":"invalid_request","error_description":"Identity not found"}',
    ]);
    const missing = await get(imds.port, TOKEN);
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers a resource Entra refuses with 400 invalid_resource and Entra’s words, not a 500 to retry (§1.6)', async () => {
    // The fake Entra, as Entra, refuses a scope with a space (AADSTS1002012).
    const res = await get(imds.port, `${TOKEN}&resource=api%3A%2F%2Fa%20b`);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_resource',
      error_description: expect.stringMatching(
        /^AADSTS1002012: The provided value for scope api:\/\/a b\/\.default is not valid\./,
      ) as unknown,
    });
    // The same answer from the broker's memory of the failure, without asking Entra again.
    expect((await get(imds.port, `${TOKEN}&resource=api%3A%2F%2Fa%20b`)).status).toBe(400);
  });

  it('asks for the selector when several user-assigned identities and no system one exist', async () => {
    const two = await startAzure({ identities: 'two-user' });
    try {
      const res = await get(two.port, `${TOKEN}&resource=${ARM}`);
      expect([res.status, res.text]).toEqual([
        400,
        '{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}',
      ]);
    } finally {
      await two.close();
    }
  });

  it('throttles with 429 and Retry-After (§0.9)', async () => {
    const throttled = await startAzure({ identities: 'system', identityRequestsPerSecond: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await get(throttled.port, `${TOKEN}&resource=${ARM}`);
        statuses.push([res.status, res.headers['retry-after']]);
      }
      expect(statuses[2]).toEqual([429, '1']);
      await throttled.clock.advance(1000);
      expect((await get(throttled.port, `${TOKEN}&resource=${ARM}`)).status).toBe(200);
    } finally {
      await throttled.close();
    }
  });

  it('answers 500, never 400, while Vault is down and nothing is cached (§0.8)', async () => {
    const down = await startAzure({ identities: 'system' });
    try {
      // A Vault refusal (a sealed Vault would be retried by the session on the test's frozen clock).
      down.vault.faults.failNext(5, 400, 'permission denied');
      const res = await get(down.port, `${TOKEN}&resource=${ARM}`);
      expect(res.status).toBe(500);
      expect(res.json()).toMatchObject({ error: 'unknown' });
    } finally {
      await down.close();
    }
  });

  it('serves /metadata/identity/info with the tenant', async () => {
    const res = await get(imds.port, '/metadata/identity/info?api-version=2018-02-01');
    expect(res.json()).toEqual({ tenantId: imds.tenant.tenantId });
  });
});
