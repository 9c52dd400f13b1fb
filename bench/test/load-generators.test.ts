import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInGenerator } from '../src/load/built-in-generator.js';
import type { LoadGenerator } from '../src/load/load-generator.js';
import { wrkGenerator, wrkVersion } from '../src/load/wrk/wrk-generator.js';

// Both generators against one loopback server: what they send and how they count, not how fast.
const seen: Array<{ method: string; url: string; connection: string; token: string }> = [];
const server = http.createServer((req, res) => {
  seen.push({
    method: req.method ?? '',
    url: req.url ?? '',
    connection: req.headers.connection ?? '',
    token: String(req.headers['x-token'] ?? ''),
  });
  const status = req.url === '/missing' ? 404 : 200;
  res.writeHead(status, { 'Content-Length': '2' }).end('ok');
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const version = wrkVersion();
const generators: Array<[string, LoadGenerator | undefined]> = [
  ['built-in', builtInGenerator],
  ['wrk', version ? wrkGenerator(version, 1) : undefined],
];

describe.each(generators)('the %s load generator', (_name, generator) => {
  it.skipIf(!generator)(
    'sends the scenario in turn with Connection: close and counts the 404s as HTTP errors',
    async () => {
      if (!generator) throw new Error('skipped above');
      seen.length = 0;
      const result = await generator.run({
        host: '127.0.0.1',
        port,
        scenario: [
          { method: 'PUT', path: '/token', headers: { 'X-Token': 'abc' } },
          { method: 'GET', path: '/missing', headers: {} },
        ],
        connections: 2,
        seconds: 1,
        keepAlive: false,
      });
      expect(result.errors).toBe(0);
      expect(result.requests).toBeGreaterThan(10);
      // Requests still in flight when the run ends reach the server but are not counted.
      expect(seen.length - result.requests).toBeLessThanOrEqual(2);
      expect(Math.abs(result.httpErrors - result.requests / 2)).toBeLessThanOrEqual(2);
      expect(seen.every((r) => r.connection === 'close')).toBe(true);
      expect(seen.filter((r) => r.method === 'PUT').every((r) => r.token === 'abc')).toBe(true);
      expect(new Set(seen.map((r) => `${r.method} ${r.url}`))).toEqual(
        new Set(['PUT /token', 'GET /missing']),
      );
      expect(result.p50).toBeLessThanOrEqual(result.p99);
      expect(result.p99).toBeLessThanOrEqual(result.max);
    },
  );
});
