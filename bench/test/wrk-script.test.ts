import { describe, expect, it } from 'vitest';
import { luaStringLiteral, wrkScript } from '../src/load/wrk/wrk-script.js';

/** Reads back a literal of `luaStringLiteral` as Lua would: `\ddd` is the byte ddd. */
function readLuaLiteral(literal: string): Buffer {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const bytes: number[] = [];
  const body = literal.slice(1, -1);
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '\\') {
      bytes.push(Number(body.slice(i + 1, i + 4)));
      i += 3;
    } else bytes.push(body.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

describe('luaStringLiteral', () => {
  it('escapes CR, LF, quotes, backslashes and non-ASCII bytes as three-digit decimals', () => {
    const bytes = Buffer.from('GET /a?b="c"\\d HTTP/1.1\r\n\xe9', 'latin1');
    const literal = luaStringLiteral(bytes);
    expect(literal).toBe('"GET /a?b=\\034c\\034\\092d HTTP/1.1\\013\\010\\233"');
    expect(readLuaLiteral(literal)).toEqual(bytes);
  });

  it('keeps a digit after an escape apart from it (\\0101 would be one byte in other encodings)', () => {
    expect(readLuaLiteral(luaStringLiteral(Buffer.from('\n1')))).toEqual(Buffer.from('\n1'));
  });
});

describe('wrkScript', () => {
  const put = { method: 'PUT', path: '/latest/api/token', headers: { 'X-Ttl': '60' } };
  const get = { method: 'GET', path: '/latest/meta-data/', headers: {} };

  it('lists the scenario requests in order, as the built-in generator would send them', () => {
    const script = wrkScript([put, get], '127.0.0.1:8080', false);
    const scenarioLine = script.split('\n').find((l) => l.startsWith('local scenario'));
    const literals = [...(scenarioLine ?? '').matchAll(/"[^"]*"/g)].map((m) =>
      readLuaLiteral(m[0]).toString('latin1'),
    );
    expect(literals).toEqual([
      'PUT /latest/api/token HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Ttl: 60\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      'GET /latest/meta-data/ HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n',
    ]);
  });

  it('asks for keep-alive when told to', () => {
    expect(wrkScript([get], 'h:1', true)).toContain('Connection: keep-alive');
  });

  it('refuses an empty scenario', () => {
    expect(() => wrkScript([], 'h:1', true)).toThrow(/at least one request/);
  });
});
