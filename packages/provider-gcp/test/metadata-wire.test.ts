import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GceStack } from './support.js';
import { INSTANCE_ID, PROJECT, request, SCOPES, startGceStack } from './support.js';

// The GCE dialect on the wire, against reference/gcp-metadata.md §1 (section numbers below).
let stack: GceStack;
beforeAll(async () => {
  stack = await startGceStack();
});
afterAll(async () => {
  await stack?.close();
});

const get = (path: string, headers?: Record<string, string>) => request(stack.port, path, headers);
const V1 = '/computeMetadata/v1';

describe('headers and guards (§1.1)', () => {
  it('sends Metadata-Flavor and the GCE server headers on 200, 403, 404 and 301 alike', async () => {
    for (const [path, headers, status] of [
      [`${V1}/project/project-id`, undefined, 200],
      [`${V1}/project/project-id`, {}, 403],
      [`${V1}/nope`, undefined, 404],
      [`${V1}/instance`, undefined, 301],
    ] as const) {
      const res = await get(path, headers);
      expect(res.status, path).toBe(status);
      expect(res.headers).toMatchObject({
        'metadata-flavor': 'Google',
        server: 'Metadata Server for VM',
        'x-xss-protection': '0',
        'x-frame-options': 'SAMEORIGIN',
      });
    }
  });

  it('answers 403 with Google’s HTML page without Metadata-Flavor: Google', async () => {
    const res = await get(`${V1}/instance/id`, { 'Metadata-Flavor': 'Not Google' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(res.text).toContain('<title>Error 403 (Forbidden)!!1</title>');
  });

  it('refuses X-Forwarded-For even with the flavor header', async () => {
    const res = await get(`${V1}/instance/id`, {
      'Metadata-Flavor': 'Google',
      'X-Forwarded-For': '203.0.113.9',
    });
    expect(res.status).toBe(403);
  });

  it('answers other methods than GET and HEAD 405, naming both, with GCE headers', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await request(stack.port, `${V1}/instance/id`, undefined, method);
      expect([res.status, res.headers['allow'], res.headers['content-type'], res.text]).toEqual([
        405,
        'GET, HEAD',
        'text/plain; charset=utf-8',
        'method not allowed\n',
      ]);
      expect(res.headers['metadata-flavor']).toBe('Google');
    }
    expect((await request(stack.port, `${V1}/instance/id`, undefined, 'HEAD')).status).toBe(200);
  });

  it('claims / only with the flavor header and lists 0.1/ and computeMetadata/', async () => {
    const res = await get('/');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([
      200,
      'application/text',
      '0.1/\ncomputeMetadata/\n',
    ]);
    expect((await get('/', {})).status).toBe(404); // no provider behind GCE in this stack
  });

  it('lists /computeMetadata/ and answers legacy versions 404 (§1.5)', async () => {
    expect((await get('/computeMetadata/')).text).toBe('v1/\nv1beta1/\n');
    expect((await get('/computeMetadata/v1beta1/project/project-id')).status).toBe(404);
    expect((await get('/0.1/meta-data/project-id')).status).toBe(404);
  });
});

describe('tree, listings and values (§1.2, §1.3)', () => {
  it('lists v1/ and instance/ with directories marked', async () => {
    expect((await get(`${V1}/`)).text).toBe('instance/\nproject/\nuniverse/\n');
    const instance = (await get(`${V1}/instance/`)).text.split('\n');
    expect(instance).toEqual(
      expect.arrayContaining(['attributes/', 'id', 'service-accounts/', 'tags', 'zone', 'disks/']),
    );
  });

  it('serves ids as exact digits and zone fully qualified, as application/text', async () => {
    const id = await get(`${V1}/instance/id`);
    expect([id.text, id.headers['content-type']]).toEqual([INSTANCE_ID, 'application/text']);
    expect((await get(`${V1}/instance/zone`)).text).toBe(
      `projects/${PROJECT.numericProjectId}/zones/europe-west1-b`,
    );
    expect((await get(`${V1}/project/numeric-project-id`)).text).toBe(PROJECT.numericProjectId);
    expect((await get(`${V1}/universe/universe-domain`)).text).toBe('googleapis.com');
  });

  it('redirects a slash-less directory with 301, keeping the query and the host', async () => {
    const res = await get(`${V1}?recursive=true`);
    expect(res.status).toBe(301);
    expect(res.headers['location']).toBe(`http://127.0.0.1:${stack.port}${V1}/?recursive=true`);
  });

  it('redirects an HTTP/1.0 request that names no host to the address it came in on', async () => {
    const socket = net.connect(stack.port, '127.0.0.1');
    socket.write(`GET ${V1}/instance HTTP/1.0\r\nMetadata-Flavor: Google\r\n\r\n`);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    await once(socket, 'close');
    expect(received).toMatch(
      new RegExp(`\r\nLocation: http://127\\.0\\.0\\.1:${stack.port}${V1}/instance/\r\n`, 'i'),
    );
  });

  it('404s trailing slashes on values, array indexing, bad indices; tolerates //', async () => {
    for (const path of [
      `${V1}/instance/id/`,
      `${V1}/instance/service-accounts/default/token/`,
      `${V1}/instance/service-accounts/default/scopes/0`,
      `${V1}/instance/disks/x`,
      `${V1}/instance/disks/99`,
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect((await get(`${V1}/project//project-id`)).text).toBe(PROJECT.projectId);
  });

  it('keeps cluster-name absent unless configured, and facts attributes verbatim', async () => {
    expect((await get(`${V1}/instance/attributes/cluster-name`)).status).toBe(404);
    expect((await get(`${V1}/instance/attributes/ssh-keys`)).text).toBe(
      'alice:ssh-ed25519 AAAA alice',
    );
  });
});

describe('recursive, alt and ETag (§1.2)', () => {
  it('renders project/ recursively as compact camelCase JSON with bare numbers', async () => {
    const res = await get(`${V1}/project/?recursive=true`);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(
      `{"attributes":{},"numericProjectId":${PROJECT.numericProjectId},"projectId":"${PROJECT.projectId}"}`,
    );
  });

  it('keeps attribute and account keys verbatim and leaves token out', async () => {
    const res = await get(`${V1}/instance/?recursive=true`);
    expect(res.text).toContain(`"id":${INSTANCE_ID},`); // exact digits, above 2^53
    const parsed = JSON.parse(res.text) as Record<string, unknown>;
    expect(parsed['attributes']).toEqual({ 'ssh-keys': 'alice:ssh-ed25519 AAAA alice' });
    expect(parsed['disks']).toEqual([
      { deviceName: 'persistent-disk-0', index: 0, mode: 'READ_WRITE', type: 'PERSISTENT' },
    ]);
    const accounts = parsed['serviceAccounts'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(accounts).sort()).toEqual([stack.email, 'default'].sort());
    expect(accounts['default']).toEqual({
      aliases: ['default'],
      email: stack.email,
      scopes: SCOPES,
    });
  });

  it('ignores recursive on a value and treats odd values as false', async () => {
    const value = await get(`${V1}/project/numeric-project-id?recursive=true`);
    expect([value.text, value.headers['content-type']]).toEqual([
      PROJECT.numericProjectId,
      'application/text',
    ]);
    expect((await get(`${V1}/project/?recursive=xyz`)).text).toBe(
      'attributes/\nnumeric-project-id\nproject-id\n',
    );
  });

  it('serves tags as JSON by default, one per line with alt=text', async () => {
    const tags = await get(`${V1}/instance/tags`);
    expect([tags.text, tags.headers['content-type']]).toEqual(['["web","ci"]', 'application/json']);
    expect((await get(`${V1}/instance/tags?alt=text`)).text).toBe('web\nci\n');
    expect((await get(`${V1}/project/project-id?alt=json`)).text).toBe(`"${PROJECT.projectId}"`);
  });

  it('flattens a recursive tree with alt=text and refuses alt on a plain directory', async () => {
    expect((await get(`${V1}/instance/disks/?recursive=true&alt=text`)).text).toBe(
      '0/device-name persistent-disk-0\n0/index 0\n0/mode READ_WRITE\n0/type PERSISTENT\n',
    );
    expect((await get(`${V1}/instance/?alt=json`)).status).toBe(400);
    expect((await get(`${V1}/instance/id?alt=xml`)).status).toBe(400);
  });

  it('sends a 16-character ETag, equal across alt, different between recursive forms', async () => {
    const json = await get(`${V1}/instance/tags?alt=json`);
    const text = await get(`${V1}/instance/tags?alt=text`);
    expect(json.headers['etag']).toMatch(/^[a-zA-Z0-9]{16}$/);
    expect(text.headers['etag']).toBe(json.headers['etag']);
    const listing = await get(`${V1}/project/`);
    const tree = await get(`${V1}/project/?recursive=true`);
    expect(listing.headers['etag']).not.toBe(tree.headers['etag']);
  });
});

describe('wait_for_change (§1.2)', () => {
  const attribute = `${V1}/instance/attributes/role`;

  it('returns at once when last_etag differs, and waits out timeout_sec when it matches', async () => {
    stack.provider.setInstanceAttribute('role', 'web');
    const current = await get(attribute);
    const started = Date.now();
    const stale = await get(`${attribute}?wait_for_change=true&last_etag=0000000000000000`);
    expect(stale.text).toBe('web');
    expect(Date.now() - started).toBeLessThan(1000);
    const waited = await get(
      `${attribute}?wait_for_change=true&last_etag=${current.headers['etag']}&timeout_sec=1`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect([waited.status, waited.text]).toEqual([200, 'web']);
  });

  it('wakes up with the new value and a new ETag when the value changes', async () => {
    stack.provider.setInstanceAttribute('role', 'web');
    const before = await get(attribute);
    const pending = get(
      `${attribute}?wait_for_change=true&last_etag=${before.headers['etag']}&timeout_sec=30`,
    );
    setTimeout(() => stack.provider.setInstanceAttribute('role', 'db'), 200);
    const after = await pending;
    expect(after.text).toBe('db');
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
  });

  it('counts a deleted key as a change of a recursive directory', async () => {
    stack.provider.setInstanceAttribute('gone', 'soon');
    const before = await get(`${V1}/instance/attributes/?recursive=true`);
    const pending = get(
      `${V1}/instance/attributes/?recursive=true&wait_for_change=true&last_etag=${before.headers['etag']}`,
    );
    setTimeout(() => stack.provider.setInstanceAttribute('gone', undefined), 100);
    expect(JSON.parse((await pending).text)).not.toHaveProperty('gone');
  });

  it('refuses wait_for_change on a plain directory', async () => {
    expect((await get(`${V1}/instance/attributes/?wait_for_change=true`)).status).toBe(400);
  });
});

describe('service accounts (§1.4)', () => {
  it('lists default/ and the email; both names serve every sub-path', async () => {
    // Sorted: the roleset's account is `vault<roleset>-<time>@…`, after `default`.
    expect((await get(`${V1}/instance/service-accounts/`)).text).toBe(
      `default/\n${stack.email}/\n`,
    );
    for (const name of ['default', stack.email]) {
      const base = `${V1}/instance/service-accounts/${name}`;
      expect((await get(`${base}/`)).text).toBe('aliases\nemail\nidentity\nscopes\ntoken\n');
      expect((await get(`${base}/email`)).text).toBe(stack.email);
      expect((await get(`${base}/aliases`)).text).toBe('default\n');
      expect((await get(`${base}/scopes`)).text).toBe(`${SCOPES.join('\n')}\n`);
    }
  });

  it('400s an identity request without audience', async () => {
    const res = await get(`${V1}/instance/service-accounts/default/identity?format=full`);
    expect([res.status, res.text]).toEqual([400, 'non-empty audience parameter required\n']);
  });
});

describe('hanging requests are bounded', () => {
  it('answers 503 beyond maxHangingGets and serves again once they return', async () => {
    const bounded = await startGceStack({ maxHangingGets: 1 });
    try {
      const path = `${V1}/instance/attributes/ssh-keys`;
      const { headers } = await request(bounded.port, path);
      const hanging = request(
        bounded.port,
        `${path}?wait_for_change=true&last_etag=${headers['etag']}&timeout_sec=1`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await request(
        bounded.port,
        `${path}?wait_for_change=true&last_etag=${headers['etag']}&timeout_sec=1`,
      );
      expect([refused.status, refused.headers['metadata-flavor']]).toEqual([503, 'Google']);
      expect((await hanging).status).toBe(200);
      expect((await request(bounded.port, path)).status).toBe(200);
    } finally {
      await bounded.close();
    }
  });
});
