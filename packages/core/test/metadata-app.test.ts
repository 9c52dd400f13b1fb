import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { Context } from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataProvider, RunningServer } from '../src/index.js';
import {
  alwaysSet,
  createMetadataApp,
  DEFAULT_SERVER_LIMITS,
  dialectMiddleware,
  errorBoundary,
  hostAndPort,
  isLocalOnlyAddress,
  JsonLogger,
  listen,
  parseListenAddress,
  rejectForwarded,
  requireHeader,
  sendExact,
  silentLogger,
} from '../src/index.js';

/** A toy dialect built only from core's pieces, as a contributor would write one. */
const toyDialect: MetadataProvider = {
  name: 'toy',
  middleware() {
    const refuse = (ctx: Context) => sendExact(ctx, 403, 'text/plain', '');
    return dialectMiddleware(
      (ctx) => ctx.path.startsWith('/toy'),
      [
        alwaysSet({ Server: 'Toy' }),
        errorBoundary(silentLogger, (ctx) => sendExact(ctx, 503, 'text/plain', 'try later')),
        rejectForwarded(refuse),
        requireHeader('Metadata', 'true', (ctx) =>
          sendExact(ctx, 400, 'application/json', '{"error":"bad"}'),
        ),
        (ctx) => {
          if (ctx.path === '/toy/boom') throw new Error('backend exploded');
          sendExact(ctx, 200, 'text/plain', 'hello');
        },
      ],
    );
  },
};

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string, headers: Record<string, string> = {}) {
  server ??= await listen(
    createMetadataApp({ providers: [toyDialect], logger: silentLogger }),
    '127.0.0.1',
    0,
  );
  const res = await fetch(server.url + path, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    server: res.headers.get('server'),
    body: await res.text(),
  };
}

describe('createMetadataApp with core guards', () => {
  it('sends exact content types without a charset', async () => {
    expect(await get('/toy/x', { Metadata: 'true' })).toEqual({
      status: 200,
      type: 'text/plain',
      server: 'Toy',
      body: 'hello',
    });
  });

  it('refuses X-Forwarded-For with the dialect refusal, headers kept', async () => {
    expect(await get('/toy/x', { Metadata: 'true', 'X-Forwarded-For': '10.0.0.1' })).toEqual({
      status: 403,
      type: 'text/plain',
      server: 'Toy',
      body: '',
    });
  });

  it.each([
    ['after a thousand other header lines', `${'A: 1\r\n'.repeat(1_500)}X-Forwarded-For: 10.0.0.1`],
    ['empty', 'X-Forwarded-For:'],
  ])('refuses X-Forwarded-For %s', async (_, lines) => {
    server ??= await listen(
      createMetadataApp({ providers: [toyDialect], logger: silentLogger }),
      '127.0.0.1',
      0,
    );
    const socket = net.connect(server.port, '127.0.0.1');
    socket.end(`GET /toy/x HTTP/1.1\r\nHost: x\r\nMetadata: true\r\n${lines}\r\n\r\n`);
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    await once(socket, 'close');
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
  });

  it('requires the dialect header', async () => {
    expect(await get('/toy/x')).toEqual({
      status: 400,
      type: 'application/json',
      server: 'Toy',
      body: '{"error":"bad"}',
    });
  });

  it('renders thrown errors through the dialect error boundary, never as a bare 500', async () => {
    expect(await get('/toy/boom', { Metadata: 'true' })).toEqual({
      status: 503,
      type: 'text/plain',
      server: 'Toy',
      body: 'try later',
    });
  });

  it('answers 404 for paths no dialect owns', async () => {
    expect(await get('/nothing')).toMatchObject({
      status: 404,
      type: 'text/plain',
      body: 'Not Found',
    });
  });

  it('rejects oversized request heads with 431 instead of processing them', async () => {
    const res = await get('/toy/x', { Metadata: 'true', 'X-Big': 'a'.repeat(20_000) });
    expect(res.status).toBe(431);
  });
});

describe('listen addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.3.4.5', true],
    ['169.254.169.254', true],
    ['::1', true],
    ['fd00:ec2::254', true],
    ['fe80::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['10.0.0.5', false],
    ['192.168.1.1', false],
    ['::', false],
    ['example.com', false],
  ])('%s is local-only: %s', (host, expected) => {
    expect(isLocalOnlyAddress(host)).toBe(expected);
  });

  it('writes host:port with an IPv6 host in brackets', () => {
    expect(hostAndPort('169.254.169.254', 80)).toBe('169.254.169.254:80');
    expect(hostAndPort('fd00:ec2::254', 80)).toBe('[fd00:ec2::254]:80');
  });

  it('parses HOST:PORT, [V6]:PORT and PORT', () => {
    expect(parseListenAddress('169.254.169.254:80')).toEqual({ host: '169.254.169.254', port: 80 });
    expect(parseListenAddress('[fd00:ec2::254]:80')).toEqual({ host: 'fd00:ec2::254', port: 80 });
    expect(parseListenAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(() => parseListenAddress('localhost')).toThrow(/expected HOST:PORT/);
    expect(() => parseListenAddress('1.2.3.4:99999')).toThrow(
      'invalid listen address "1.2.3.4:99999": port 99999 is out of range (0-65535)',
    );
    expect(() => parseListenAddress('http://169.254.169.254/')).toThrow(
      'invalid listen address "http://169.254.169.254/": drop the scheme and path: "169.254.169.254"',
    );
  });

  it('says what is missing when plain JavaScript leaves out providers or the logger', () => {
    const build = (options: unknown) => () =>
      createMetadataApp(options as Parameters<typeof createMetadataApp>[0]);
    expect(build({ logger: silentLogger })).toThrow(
      'createMetadataApp: providers must be an array of MetadataProviders',
    );
    expect(build({ providers: [{}], logger: silentLogger })).toThrow(
      'createMetadataApp: providers must be an array of MetadataProviders',
    );
    expect(build({ providers: [toyDialect] })).toThrow(
      'createMetadataApp: logger is required (silentLogger logs nothing)',
    );
  });

  it('refuses a missing host or a bad port before binding anything (Node would bind every interface)', async () => {
    const app = createMetadataApp({ providers: [], logger: silentLogger });
    // Sockets listening on every interface (IPv4 or IPv6 "any" address, state 0A = LISTEN).
    const bound = async () => {
      const tables =
        (await readFile('/proc/net/tcp', 'utf8')) + (await readFile('/proc/net/tcp6', 'utf8'));
      return tables.split('\n').filter((line) => /^\s*\d+: 0+:[0-9A-F]{4} 0+:0000 0A /.test(line));
    };
    const before = await bound();
    await expect(listen(app, undefined as unknown as string, 0)).rejects.toThrow(
      'listen: host must be an address such as 127.0.0.1, got undefined',
    );
    await expect(listen(app, '', 0)).rejects.toThrow(
      'listen: host must be an address such as 127.0.0.1, got ""',
    );
    await expect(listen(app, '127.0.0.1', 70000)).rejects.toThrow(
      'listen: port must be 0 to 65535, got 70000',
    );
    expect(await bound()).toEqual(before);
  });

  it('names the address and the fix when it cannot bind', async () => {
    const busy = await listen(
      createMetadataApp({ providers: [], logger: silentLogger }),
      '127.0.0.1',
      0,
    );
    try {
      await expect(
        listen(createMetadataApp({ providers: [], logger: silentLogger }), '127.0.0.1', busy.port),
      ).rejects.toMatchObject({
        name: 'ListenError',
        code: 'EADDRINUSE',
        message: expect.stringMatching(
          /^cannot listen on 127\.0\.0\.1:\d+: the address is already in use/,
        ),
      });
    } finally {
      await busy.close();
    }
  });
});

describe('request log', () => {
  it('writes a line per request at debug level and nothing below it', async () => {
    for (const level of ['debug', 'info'] as const) {
      const lines: string[] = [];
      const logger = new JsonLogger({ level, write: (line) => lines.push(line) });
      const running = await listen(
        createMetadataApp({ providers: [toyDialect], logger }),
        '127.0.0.1',
        0,
      );
      try {
        await (await fetch(`${running.url}/toy/x`, { headers: { Metadata: 'true' } })).text();
      } finally {
        await running.close();
      }
      const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(requests.filter((l) => l['msg'] === 'request')).toEqual(
        level === 'debug'
          ? [expect.objectContaining({ method: 'GET', path: '/toy/x', status: 200 })]
          : [],
      );
    }
  });
});

describe('request bodies (no dialect reads one)', () => {
  let running: RunningServer;
  afterEach(() => running.close());

  async function listenWithBodyLimit(maxBodyBytes?: number) {
    running = await listen(
      createMetadataApp({ providers: [toyDialect], logger: silentLogger }),
      '127.0.0.1',
      0,
      { limits: { ...DEFAULT_SERVER_LIMITS, ...(maxBodyBytes !== undefined && { maxBodyBytes }) } },
    );
  }

  it('answers 413 at once to a request announcing more than maxBodyBytes, unseen by the dialect', async () => {
    await listenWithBodyLimit(1_000);
    const answer = await new Promise<{ status?: number; connection?: string; body: string }>(
      (resolve, reject) => {
        const request = http.request(`${running.url}/toy/x`, {
          method: 'PUT',
          agent: false,
          headers: { Metadata: 'true', 'Content-Length': String(100 * 2 ** 20) },
        });
        request.on('error', reject);
        request.on('response', (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () =>
            resolve({ status: response.statusCode, connection: response.headers.connection, body }),
          );
        });
        request.write('b'); // and never the rest
      },
    );
    expect(answer).toEqual({ status: 413, connection: 'close', body: 'Payload Too Large\n' });
  });

  it.each([
    [100 * 2 ** 20, 'HTTP/1.1 413 Payload Too Large'],
    [10, 'HTTP/1.1 200 OK'],
  ])(
    'answers Expect: 100-continue with a %d-byte body by its final response, never 100 Continue',
    async (length, statusLine) => {
      await listenWithBodyLimit(1_000);
      const socket = net.connect(running.port, '127.0.0.1');
      socket.write(
        `PUT /toy/x HTTP/1.1\r\nHost: x\r\nMetadata: true\r\nExpect: 100-continue\r\nContent-Length: ${length}\r\n\r\n`,
      );
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      await once(socket, 'close');
      expect(received.split('\r\n')[0]).toBe(statusLine);
      expect(received).not.toContain('100 Continue');
      expect(received).toMatch(/\r\nConnection: close\r\n/i);
    },
  );

  it('keeps requests without a body on a keep-alive connection', async () => {
    await listenWithBodyLimit();
    const agent = new http.Agent({ keepAlive: true });
    try {
      const connection = await new Promise<string | undefined>((resolve, reject) =>
        http
          .get(`${running.url}/toy/x`, { agent, headers: { Metadata: 'true' } }, (response) => {
            response.resume();
            resolve(response.headers.connection);
          })
          .on('error', reject),
      );
      expect(connection).toBe('keep-alive');
    } finally {
      agent.destroy();
    }
  });
});
