/**
 * Just enough HCL (v1) to read Vault policies: `key "label" { attr = value }` blocks, strings,
 * numbers, booleans, lists and nested objects, with `#`, `//` and `/* *\/` comments. JSON policy
 * text is JSON.parse'd by the caller; this reads the HCL form.
 */

export type HclValue = string | number | boolean | HclValue[] | HclObject;

/** A `{ ... }` body. */
export class HclObject {
  constructor(readonly items: readonly HclItem[]) {}
}

/** `path "secret/*" { ... }` is keys ["path", "secret/*"] with an object value. */
export interface HclItem {
  readonly keys: readonly string[];
  readonly value: HclValue;
}

type Token =
  | { readonly kind: 'string' | 'ident' | 'number'; readonly text: string; readonly line: number }
  | { readonly kind: 'punct'; readonly text: string; readonly line: number };

export class HclSyntaxError extends Error {}

export function parseHcl(text: string): HclItem[] {
  return new Parser(tokenize(text)).body('eof');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '\n') {
      line += 1;
      i += 1;
    } else if (/\s/.test(char)) {
      i += 1;
    } else if (char === '#' || text.startsWith('//', i)) {
      while (i < text.length && text.charAt(i) !== '\n') i += 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new HclSyntaxError(`At ${line}: comment not terminated`);
      line += text.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (char === '"') {
      const { value, next } = readString(text, i, line);
      tokens.push({ kind: 'string', text: value, line });
      i = next;
    } else if ('{}[]=,:'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, line });
      i += 1;
    } else {
      const match = /^(-?\d+(?:\.\d+)?|[A-Za-z_][\w.-]*)/.exec(text.slice(i));
      if (!match) throw new HclSyntaxError(`At ${line}: illegal char ${JSON.stringify(char)}`);
      const word = match[0];
      tokens.push({ kind: /^-?\d/.test(word) ? 'number' : 'ident', text: word, line });
      i += word.length;
    }
  }
  return tokens;
}

function readString(text: string, start: number, line: number): { value: string; next: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '"') return { value, next: i + 1 };
    if (char === '\n') break;
    if (char === '\\') {
      const escaped = text.charAt(i + 1);
      value += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escaped] ?? escaped;
      i += 2;
    } else {
      value += char;
      i += 1;
    }
  }
  throw new HclSyntaxError(`At ${line}: literal not terminated`);
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  body(end: 'eof' | '}'): HclItem[] {
    const items: HclItem[] = [];
    for (;;) {
      const token = this.peek();
      if (end === 'eof' ? token === undefined : token?.text === '}' && token.kind === 'punct') {
        return items;
      }
      items.push(this.item());
      if (this.peek()?.text === ',' && this.peek()?.kind === 'punct') this.position += 1;
    }
  }

  private item(): HclItem {
    const keys: string[] = [];
    for (let token = this.peek(); token && token.kind !== 'punct'; token = this.peek()) {
      if (token.kind === 'number') throw this.error(token, 'expected a key');
      keys.push(token.text);
      this.position += 1;
    }
    if (keys.length === 0) throw this.error(this.peek(), 'expected a key');
    if (this.peek()?.text === '=' || this.peek()?.text === ':') this.position += 1;
    return { keys, value: this.value() };
  }

  private value(): HclValue {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'ident') {
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      throw this.error(token, `unknown token ${token.text}`);
    }
    if (token.text === '{') {
      const items = this.body('}');
      this.position += 1;
      return new HclObject(items);
    }
    if (token.text === '[') return this.list();
    throw this.error(token, `unexpected ${JSON.stringify(token.text)}`);
  }

  private list(): HclValue[] {
    const values: HclValue[] = [];
    for (;;) {
      const token = this.peek();
      if (token?.kind === 'punct' && token.text === ']') {
        this.position += 1;
        return values;
      }
      values.push(this.value());
      const separator = this.peek();
      if (separator?.kind === 'punct' && separator.text === ',') this.position += 1;
      else if (!(separator?.kind === 'punct' && separator.text === ']')) {
        throw this.error(separator, 'expected "," or "]" in list');
      }
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.peek();
    if (!token) throw new HclSyntaxError('unexpected end of input');
    this.position += 1;
    return token;
  }

  private error(token: Token | undefined, message: string): HclSyntaxError {
    return new HclSyntaxError(token ? `At ${token.line}: ${message}` : `unexpected end of input`);
  }
}
