import type { Context, Next } from 'koa';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../src/index.js';

describe('routeTable', () => {
  const answered: string[] = [];
  const table = routeTable([
    [/^\/a$/, () => void answered.push('a')],
    [/^\/a/, () => void answered.push('a-prefix')],
    [/^\/b$/, (_ctx, next) => next()],
  ]);
  const run = async (path: string) => {
    let passedOn = false;
    const next: Next = () => {
      passedOn = true;
      return Promise.resolve();
    };
    await table({ path } as Context, next);
    return passedOn;
  };

  it('lets the first matching route answer, and passes on a path none matches', async () => {
    expect(await run('/a')).toBe(false);
    expect(await run('/ab')).toBe(false);
    expect(await run('/c')).toBe(true);
    expect(answered).toEqual(['a', 'a-prefix']);
  });

  it("hands a route the table's next, to pass on itself", async () => {
    expect(await run('/b')).toBe(true);
  });
});
