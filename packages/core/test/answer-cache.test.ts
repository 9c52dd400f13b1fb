import http from 'node:http';
import type { Context } from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerSample, Clock, MetadataProvider, RunningServer } from '../src/index.js';
import {
  ANSWER_MAX_AGE_MS,
  AnswerCache,
  cacheAnswer,
  createMetadataApp,
  dialectMiddleware,
  listen,
  ManualClock,
  sendExact,
  silentLogger,
} from '../src/index.js';

/**
 * A toy dialect that counts the requests it really answers and marks its answers replayable as the
 * query asks: `?for=ms` until now + ms, `?admit=no` with an admit check that refuses, `?status=`.
 */
function countingDialect(clock: Clock) {
  const answered: string[] = [];
  let admitted = 0;
  const provider: MetadataProvider = {
    name: 'toy',
    pathClass: () => 'answer',
    middleware() {
      return dialectMiddleware(
        (ctx) => ctx.path.startsWith('/toy'),
        [
          (ctx: Context) => {
            answered.push(`${ctx.method} ${ctx.url}`);
            const status = Number(ctx.query.status ?? 200);
            ctx.set('X-Mixed-Case', `answer ${answered.length}`);
            sendExact(ctx, status, 'text/plain', `answer ${answered.length}`);
            const forMs = ctx.query.for === undefined ? undefined : Number(ctx.query.for);
            if (forMs === undefined) return;
            const refuse = ctx.query.admit === 'no';
            cacheAnswer(ctx, clock.now() + forMs, () => {
              admitted += 1;
              return !refuse;
            });
          },
        ],
      );
    },
  };
  return { provider, answered, admitted: () => admitted };
}

interface Answer {
  status: number;
  rawHeaders: string[];
  body: string;
}

function request(
  server: RunningServer,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The header lines but Date, which Node writes afresh for every answer, replayed or not. */
function withoutDate(rawHeaders: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i]?.toLowerCase() !== 'date')
      lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  return lines;
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A clock that can be set back, as NTP stepping does to the system's. */
class SettableClock implements Clock {
  at = Date.UTC(2026, 0, 1);
  now(): number {
    return this.at;
  }
  schedule(): () => void {
    return () => undefined;
  }
}

async function serve<C extends Clock>(clock: C) {
  const toy = countingDialect(clock);
  const replays: AnswerSample[] = [];
  const answers = new AnswerCache(clock, (sample) => replays.push(sample));
  server = await listen(
    createMetadataApp({ providers: [toy.provider], logger: silentLogger, answers }),
    '127.0.0.1',
    0,
    { answers },
  );
  return { clock, toy, answers, replays, server };
}

describe('AnswerCache in front of Koa', () => {
  it('replays a marked answer byte for byte, without the dialect, until the dialect said', async () => {
    const { clock, toy, replays, server } = await serve(new ManualClock());
    const first = await request(server, '/toy/a?for=300');
    const second = await request(server, '/toy/a?for=300');
    expect(first.body).toBe('answer 1');
    expect(second.status).toBe(200);
    expect(second.body).toBe('answer 1');
    expect(withoutDate(second.rawHeaders)).toEqual(withoutDate(first.rawHeaders));
    // The names keep the case the dialect gave them.
    expect(second.rawHeaders).toContain('X-Mixed-Case');
    expect(toy.answered).toHaveLength(1);
    expect(replays).toEqual([{ dialect: 'toy', pathClass: 'answer', status: 200 }]);

    await clock.advance(299);
    expect((await request(server, '/toy/a?for=300')).body).toBe('answer 1');
    await clock.advance(1);
    expect((await request(server, '/toy/a?for=300')).body).toBe('answer 2');
    expect(toy.answered).toHaveLength(2);
  });

  it('keeps no answer longer than ANSWER_MAX_AGE_MS, whatever the dialect allowed', async () => {
    const { clock, server } = await serve(new ManualClock());
    expect((await request(server, '/toy/a?for=3600000')).body).toBe('answer 1');
    await clock.advance(ANSWER_MAX_AGE_MS - 1);
    expect((await request(server, '/toy/a?for=3600000')).body).toBe('answer 1');
    await clock.advance(1);
    expect((await request(server, '/toy/a?for=3600000')).body).toBe('answer 2');
  });

  it('replays only to the very same request: another URL or any other header line misses', async () => {
    const { toy, server } = await serve(new ManualClock());
    await request(server, '/toy/a?for=500');
    expect((await request(server, '/toy/a?for=500&x=1')).body).toBe('answer 2');
    expect(
      (await request(server, '/toy/a?for=500', { headers: { 'X-Forwarded-For': '10.0.0.1' } }))
        .body,
    ).toBe('answer 3');
    expect((await request(server, '/toy/a?for=500', { headers: { Metadata: 'true' } })).body).toBe(
      'answer 4',
    );
    expect((await request(server, '/toy/a?for=500')).body).toBe('answer 1');
    expect(toy.answered).toHaveLength(4);
  });

  it('keeps nothing unmarked and nothing but a 200', async () => {
    const { toy, server } = await serve(new ManualClock());
    for (const path of ['/toy/plain', '/toy/b?for=500&status=404', '/toy/c?for=500&status=503'])
      for (let i = 0; i < 2; i += 1) await request(server, path);
    expect(toy.answered).toHaveLength(6);
  });

  it('replays whatever method the dialect marked, each apart, a HEAD without its body', async () => {
    const { toy, server } = await serve(new ManualClock());
    const put = await request(server, '/toy/a?for=500', { method: 'PUT' });
    const head = await request(server, '/toy/a?for=500', { method: 'HEAD' });
    expect([put.body, head.body]).toEqual(['answer 1', '']);
    expect((await request(server, '/toy/a?for=500', { method: 'PUT' })).body).toBe('answer 1');
    const replayedHead = await request(server, '/toy/a?for=500', { method: 'HEAD' });
    expect(withoutDate(replayedHead.rawHeaders)).toEqual(withoutDate(head.rawHeaders));
    expect(replayedHead.body).toBe('');
    expect(toy.answered).toEqual(['PUT /toy/a?for=500', 'HEAD /toy/a?for=500']);
  });

  it('asks the admit check before every replay and takes the full path when it refuses', async () => {
    const { toy, server } = await serve(new ManualClock());
    await request(server, '/toy/a?for=500');
    await request(server, '/toy/a?for=500');
    await request(server, '/toy/a?for=500');
    expect(toy.admitted()).toBe(2);
    expect(toy.answered).toHaveLength(1);

    await request(server, '/toy/b?for=500&admit=no');
    await request(server, '/toy/b?for=500&admit=no');
    expect(toy.admitted()).toBe(3);
    expect(toy.answered).toHaveLength(3);
  });

  it('forgets every answer on clear(), as the agent does on each broker event', async () => {
    const { toy, answers, server } = await serve(new ManualClock());
    await request(server, '/toy/a?for=500');
    answers.clear();
    expect((await request(server, '/toy/a?for=500')).body).toBe('answer 2');
    expect(toy.answered).toHaveLength(2);
  });

  it('holds a bounded number of answers: a client varying its requests evicts the oldest', async () => {
    const { toy, server } = await serve(new ManualClock());
    for (let i = 0; i < 300; i += 1) await request(server, `/toy/${i}?for=500`);
    expect(toy.answered).toHaveLength(300);
    await request(server, '/toy/299?for=500');
    expect(toy.answered).toHaveLength(300);
    await request(server, '/toy/0?for=500');
    expect(toy.answered).toHaveLength(301);
  });

  it('keeps nothing for a request longer than a client would send', async () => {
    const { toy, server } = await serve(new ManualClock());
    const headers = { 'X-Padding': 'x'.repeat(9_000) };
    await request(server, '/toy/a?for=500', { headers });
    await request(server, '/toy/a?for=500', { headers });
    expect(toy.answered).toHaveLength(2);
  });

  it('stops replaying when the clock is set back before the answer was recorded', async () => {
    const { clock, toy, server } = await serve(new SettableClock());
    await request(server, '/toy/a?for=500');
    clock.at -= 3_600_000;
    expect((await request(server, '/toy/a?for=500')).body).toBe('answer 2');
    expect(toy.answered).toHaveLength(2);
  });
});
