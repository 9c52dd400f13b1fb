import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { allowMethods } from '../src/index.js';

describe('allowMethods', () => {
  it('passes the methods named on and hands any other to the refusal', async () => {
    const refused: string[] = [];
    const guard = allowMethods(['GET', 'HEAD'], (ctx) => void refused.push(ctx.method));
    const passes = async (method: string) => {
      let passed = false;
      await guard({ method } as Context, async () => {
        passed = true;
      });
      return passed;
    };
    expect(await Promise.all(['GET', 'HEAD', 'PUT', 'get'].map(passes))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(refused).toEqual(['PUT', 'get']);
  });
});
