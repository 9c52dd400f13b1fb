import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@guise/core';
import { ImdsTokenStore } from '../src/index.js';
import type { Harness } from './support.js';
import { fetchToken, request, startImds } from './support.js';

let imds: Harness | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});

const TTL = 'X-aws-ec2-metadata-token-ttl-seconds';
const TOKEN = 'X-aws-ec2-metadata-token';

describe('PUT /latest/api/token (reference/aws-imds.md §1.2)', () => {
  it('issues a 56-character token with the TTL echoed and the EC2 headers', async () => {
    imds = await startImds({ tokens: 'optional' });
    const res = await request(imds.port, 'PUT', '/latest/api/token', { [TTL]: '21600' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^[A-Za-z0-9_-]{54}==$/);
    expect(res.headers['content-length']).toBe('56');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['server']).toBe('EC2ws');
    expect(res.headers['connection']).toBe('close');
    // The header name goes out in EC2's spelling, not lower-cased.
    expect(res.rawHeaders).toContainEqual(['X-Aws-Ec2-Metadata-Token-Ttl-Seconds', '21600']);
  });

  it.each([
    ['0', 400],
    ['1', 200],
    ['21600', 200],
    ['21601', 400],
    ['abc', 400],
    ['-1', 400],
    ['1.5', 400],
    ['+5', 400],
    ['', 400],
  ])('TTL %j → %i', async (ttl, status) => {
    imds = await startImds({ tokens: 'optional' });
    const res = await request(imds.port, 'PUT', '/latest/api/token', { [TTL]: ttl });
    expect(res.status).toBe(status);
    expect(res.headers['server']).toBe('EC2ws');
    if (status === 400) {
      expect(res.body.length).toBe(0);
      expect(res.headers['content-type']).toBe('text/plain');
    } else {
      expect(res.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe(ttl);
    }
  });

  it('answers 400 with an empty body when the TTL header is missing', async () => {
    imds = await startImds({ tokens: 'required' });
    const res = await request(imds.port, 'PUT', '/latest/api/token');
    expect([res.status, res.text, res.headers['content-length']]).toEqual([400, '', '0']);
  });

  it('refuses X-Forwarded-For with 403 and an empty body, before looking at the TTL', async () => {
    imds = await startImds({ tokens: 'optional' });
    const res = await request(imds.port, 'PUT', '/latest/api/token', {
      [TTL]: '21600',
      'X-Forwarded-For': '10.0.0.9',
    });
    expect(res.status).toBe(403);
    expect(res.body.length).toBe(0);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['server']).toBe('EC2ws');
  });

  it('answers 403 to a PUT on a version-specific path', async () => {
    imds = await startImds({ tokens: 'optional' });
    for (const version of ['2021-03-23', '2009-04-04', '1.0']) {
      const res = await request(imds.port, 'PUT', `/${version}/api/token`, { [TTL]: '21600' });
      expect([res.status, res.text, res.headers['server']]).toEqual([403, '', 'EC2ws']);
    }
  });

  it('answers 405 with Allow: PUT to other methods on the token path', async () => {
    imds = await startImds({ tokens: 'optional' });
    for (const method of ['GET', 'HEAD', 'POST', 'DELETE']) {
      const res = await request(imds.port, method, '/latest/api/token', { [TTL]: '21600' });
      expect([res.status, res.headers['allow'], res.body.length]).toEqual([405, 'PUT', 0]);
    }
  });

  it('tolerates a trailing slash on the token path', async () => {
    imds = await startImds({ tokens: 'required' });
    const res = await request(imds.port, 'PUT', '/latest/api/token/', { [TTL]: '60' });
    expect(res.status).toBe(200);
  });

  it('answers 403 when tokens are disabled (IMDS before IMDSv2)', async () => {
    imds = await startImds({ tokens: 'disabled' });
    const res = await request(imds.port, 'PUT', '/latest/api/token', { [TTL]: '21600' });
    expect([res.status, res.text, res.headers['server']]).toEqual([403, '', 'EC2ws']);
  });
});

describe('token use on GET/HEAD (§1.3)', () => {
  it('required: no token, a forged token and an expired token all get 401 with an empty body', async () => {
    imds = await startImds({ tokens: 'required' });
    const token = await fetchToken(imds.port, 1);
    const forged = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    const cases: Array<Record<string, string>> = [
      {},
      { [TOKEN]: 'not-a-token' },
      { [TOKEN]: forged },
    ];
    for (const headers of cases) {
      const res = await request(imds.port, 'GET', '/latest/meta-data/instance-id', headers);
      expect([res.status, res.text, res.headers['content-type'], res.headers['server']]).toEqual([
        401,
        '',
        'text/plain',
        'EC2ws',
      ]);
    }
    // Asked at a second's start, a 1-second token lasts until the end of the next second.
    await imds.clock.advance(1_999);
    expect(
      (await request(imds.port, 'GET', '/latest/meta-data/instance-id', { [TOKEN]: token })).status,
    ).toBe(200);
    await imds.clock.advance(1);
    const expired = await request(imds.port, 'GET', '/latest/meta-data/instance-id', {
      [TOKEN]: token,
    });
    expect([expired.status, expired.text]).toEqual([401, '']);
  });

  it('required: even the version list needs a token', async () => {
    imds = await startImds({ tokens: 'required' });
    expect((await request(imds.port, 'GET', '/')).status).toBe(401);
  });

  it('echoes the remaining token lifetime on responses to a valid token', async () => {
    imds = await startImds({ tokens: 'required' });
    const token = await fetchToken(imds.port, 21600);
    const fresh = await request(imds.port, 'GET', '/latest/meta-data/', { [TOKEN]: token });
    expect(fresh.rawHeaders).toContainEqual(['X-Aws-Ec2-Metadata-Token-Ttl-Seconds', '21600']);
    await imds.clock.advance(21_599_500);
    const late = await request(imds.port, 'GET', '/latest/meta-data/', { [TOKEN]: token });
    expect([late.status, late.headers['x-aws-ec2-metadata-token-ttl-seconds']]).toEqual([200, '1']);
    await imds.clock.advance(1_500);
    expect((await request(imds.port, 'GET', '/latest/meta-data/', { [TOKEN]: token })).status).toBe(
      401,
    );
  });

  it('optional: no token is IMDSv1 and fine, an invalid token is 401, a valid one is served', async () => {
    imds = await startImds({ tokens: 'optional' });
    const plain = await request(imds.port, 'GET', '/latest/meta-data/instance-id');
    expect([plain.status, plain.headers['x-aws-ec2-metadata-token-ttl-seconds']]).toEqual([
      200,
      undefined,
    ]);
    expect(
      (await request(imds.port, 'GET', '/latest/meta-data/instance-id', { [TOKEN]: 'bogus' }))
        .status,
    ).toBe(401);
    const token = await fetchToken(imds.port);
    const v2 = await request(imds.port, 'GET', '/latest/meta-data/instance-id', { [TOKEN]: token });
    expect([v2.status, v2.headers['x-aws-ec2-metadata-token-ttl-seconds']]).toEqual([200, '21600']);
  });

  it('disabled: token headers are ignored', async () => {
    imds = await startImds({ tokens: 'disabled' });
    const res = await request(imds.port, 'GET', '/latest/meta-data/instance-id', {
      [TOKEN]: 'whatever',
    });
    expect(res.status).toBe(200);
  });

  it('rejects a token signed by another agent (tokens die with the process key)', async () => {
    imds = await startImds({ tokens: 'required' });
    const other = new ImdsTokenStore(imds.clock).issue(600).token;
    expect((await request(imds.port, 'GET', '/latest/meta-data/', { [TOKEN]: other })).status).toBe(
      401,
    );
  });

  it('HEAD with a token answers the headers of the GET and no body', async () => {
    imds = await startImds({ tokens: 'required' });
    const token = await fetchToken(imds.port);
    const res = await request(imds.port, 'HEAD', '/latest/meta-data/local-ipv4', {
      [TOKEN]: token,
    });
    expect([
      res.status,
      res.headers['content-length'],
      res.headers['content-type'],
      res.body.length,
    ]).toEqual([200, '8', 'text/plain', 0]);
  });
});

describe('ImdsTokenStore', () => {
  it('issues distinct, unforgeable tokens that expire on the clock and cost no memory per token', () => {
    const clock = new ManualClock();
    const store = new ImdsTokenStore(clock);
    const a = store.issue(10).token;
    const b = store.issue(10).token;
    expect(a).not.toBe(b);
    expect(a).toHaveLength(56);
    expect(store.validity(a)?.remainingSeconds).toBe(10);
    expect(store.validity(a.replace(/^./, (c) => (c === 'B' ? 'C' : 'B')))).toBeUndefined();
    expect(store.validity(`${a}x`)).toBeUndefined();
    // The same bytes spelt otherwise: the last character before `==` has four bits to spare.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spare = alphabet[alphabet.indexOf(a[53] ?? '') ^ 1] ?? '';
    const respelt = `${a.slice(0, 53)}${spare}==`;
    expect(Buffer.from(respelt, 'base64url')).toEqual(Buffer.from(a, 'base64url'));
    expect(store.validity(respelt)).toBeUndefined();
    expect(store.validity('')).toBeUndefined();
    // Issuing keeps no table; verified tokens are remembered in a bounded cache only.
    const footprint = () =>
      Object.values(store).map((v: unknown) =>
        v instanceof Map ? v.size : Buffer.isBuffer(v) ? v.length : typeof v,
      );
    const before = footprint();
    for (let i = 0; i < 10_000; i += 1) store.issue(21600);
    expect(footprint()).toEqual(before);
    for (let i = 0; i < 10_000; i += 1)
      expect(store.validity(store.issue(60).token)?.remainingSeconds).toBe(60);
    const cached = Object.values(store).find(
      (v: unknown): v is Map<string, number> => v instanceof Map,
    );
    expect(cached?.size).toBeLessThanOrEqual(4096);
  });

  it('a token verified before still expires on the clock, and a forged one never passes', async () => {
    const clock = new ManualClock();
    const store = new ImdsTokenStore(clock);
    const { token } = store.issue(5);
    expect(store.validity(token)?.remainingSeconds).toBe(5);
    const forged = token.replace(/^./, (c) => (c === 'B' ? 'C' : 'B'));
    for (let i = 0; i < 3; i += 1) expect(store.validity(forged)?.remainingSeconds).toBeUndefined();
    await clock.advance(6_000);
    expect(store.validity(token)?.remainingSeconds).toBeUndefined();
  });

  it('lasts its TTL from any moment of the second it was asked in, and less than a second more', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1) + 250);
    const secondEnds = Date.UTC(2026, 0, 1) + 1_000;
    const store = new ImdsTokenStore(clock);
    const minted = store.issue(3);
    // Handed out again until the second ends, it still has its 3 s to live.
    expect(minted.reusableUntil).toBe(secondEnds);
    expect(store.validity(minted.token)).toEqual({ remainingSeconds: 3, until: secondEnds });
    await clock.advance(749);
    expect(store.validity(minted.token)).toEqual({ remainingSeconds: 3, until: secondEnds });
    await clock.advance(1);
    expect(store.validity(minted.token)).toEqual({
      remainingSeconds: 2,
      until: secondEnds + 1_000,
    });
    await clock.advance(2_000);
    expect(store.validity(minted.token)).toEqual({
      remainingSeconds: 1,
      until: secondEnds + 3_000,
    });
    await clock.advance(999);
    expect(store.validity(minted.token)?.remainingSeconds).toBe(1);
    await clock.advance(1);
    expect(store.validity(minted.token)).toBeUndefined();
    // Asked in the next second, the same TTL expires a second later.
    expect(store.issue(3).reusableUntil).toBe(secondEnds + 4_000);
  });
});
