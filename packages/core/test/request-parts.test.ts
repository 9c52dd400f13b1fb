import type { Context } from 'koa';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { firstPathSegment, pathSegments, queryParams } from '../src/index.js';

describe('pathSegments', () => {
  it.each([
    ['/', []],
    ['', []],
    ['/latest/meta-data/', ['latest', 'meta-data']],
    ['//latest//meta-data///ramdisk-id', ['latest', 'meta-data', 'ramdisk-id']],
    ['latest/x', ['latest', 'x']],
    ['/a%20b/%2F/c', ['a b', '/', 'c']],
    ['/bad%E0%A4%A/ok', ['bad%E0%A4%A', 'ok']],
    ['/./..', ['.', '..']],
  ])('%j → %j', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments);
  });

  it.each(['/', '//', '/latest', '//latest//x/', '/%6Catest/y', '/bad%zz/y', 'x/y'])(
    'firstPathSegment(%j) is the first of pathSegments',
    (path) => {
      expect(firstPathSegment(path)).toBe(pathSegments(path)[0]);
    },
  );
});

describe('queryParams', () => {
  const contextFor = (url: string, host = '127.0.0.1'): Context =>
    new Koa().createContext(
      { url, method: 'GET', headers: { host }, socket: {} } as never,
      { getHeader: () => undefined, setHeader: () => undefined } as never,
    );

  it('reads the raw query string, decoded as a URL parser would', () => {
    const params = queryParams(contextFor('/x?a=1&b=%20two+words&audience=https://x/?y=1&a=2'));
    expect(params.getAll('a')).toEqual(['1', '2']);
    expect(params.get('b')).toBe(' two words');
    expect(params.get('audience')).toBe('https://x/?y=1');
  });

  it('parses once per request', () => {
    const ctx = contextFor('/x?a=1');
    expect(queryParams(ctx)).toBe(queryParams(ctx));
  });

  it('needs no Host header, unlike a whole URL', () => {
    expect(queryParams(contextFor('/x?a=1', 'bad host[')).get('a')).toBe('1');
  });
});
