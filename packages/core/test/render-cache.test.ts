import { describe, expect, it } from 'vitest';
import type { Issued } from '../src/index.js';
import { RenderCache } from '../src/index.js';

const issued = (value: string): Issued<string> => ({ value, issuedAt: 0, expiresAt: 1 });

describe('RenderCache', () => {
  it('renders once per credential and key, again when the key changes', () => {
    const cache = new RenderCache<string>();
    const token = issued('t');
    let renders = 0;
    const render = (key: string) => () => `${token.value}:${key}:${(renders += 1)}`;
    expect(cache.get(token, '3600', render('3600'))).toBe('t:3600:1');
    expect(cache.get(token, '3600', render('3600'))).toBe('t:3600:1');
    expect(cache.get(token, '3599', render('3599'))).toBe('t:3599:2');
    expect(cache.get(token, '3600', render('3600'))).toBe('t:3600:3');
  });

  it('keeps credentials apart, even with equal values', () => {
    const cache = new RenderCache<string>();
    expect(cache.get(issued('t'), '', () => 'first')).toBe('first');
    expect(cache.get(issued('t'), '', () => 'second')).toBe('second');
  });
});
