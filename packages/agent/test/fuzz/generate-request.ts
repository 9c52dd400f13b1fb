import type { FuzzDialect } from './fuzz-dialects.js';
import type { Random } from './random.js';

export interface FuzzRequest {
  /** What was sent, printable, for the failure message. */
  readonly label: string;
  readonly bytes: Buffer;
}

/** Mostly GET, what the dialects answer, so that most requests get past the method check. */
const METHODS = [
  ...Array<string>(6).fill('GET'),
  'HEAD',
  'PUT',
  'PUT',
  'POST',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
];
const ODD_METHODS = ['get', 'BREW', 'GÉT', 'GET GET', '', 'CONNECT', 'M'.repeat(300)];

/** Path mutations: traversal, encodings, NUL, unicode, bad queries, sheer length. */
const PATH_MUTATIONS: ReadonlyArray<(path: string, random: Random) => string> = [
  (p) => `${p}/..`,
  (p) => `${p}/../../etc/passwd`,
  (p) => p.replace('/', '/%2e%2e/'),
  (p) => p.replace('/', '/%2E%2E%2F'),
  (p) => p.replaceAll('/', '//'),
  (p) => `${p}/./`,
  (p) => `${p}%00`,
  (p) => `${p}\u0000x`,
  (p) => `${p}%zz`,
  (p) => `${p}%`,
  (p) => `${p}/%C3%A9%E2%80%AE`,
  (p) => `${p}/é☃`,
  (p) => `${p}\\..\\`,
  (p) => `${p}%2F..%2F`,
  (p) => `${p}?a=%zz&&b==&%`,
  (p) => `${p}?${'q'.repeat(3000)}`,
  (p) => `${p}#fragment`,
  (p, r) => `${p}/${'a'.repeat(1 + r.int(20_000))}`,
  (p) => `http://127.0.0.1${p}`,
  (p) => `*${p}`,
  (p) => p.toUpperCase(),
  (p) => ` ${p}`,
];

const JUNK_HEADERS: ReadonlyArray<string> = [
  'X-Junk: \u00ff\u00fe',
  'X-Empty:',
  ': no-name',
  'X-Bad\u0001Name: v',
  'X-Folded: a\r\n  b',
  'Transfer-Encoding: chunked',
  'Content-Length: 5',
  'Content-Length: -1',
  'Content-Length: 5\r\nContent-Length: 6',
  'Expect: 100-continue',
  'Connection: keep-alive, Upgrade\r\nUpgrade: websocket',
];

/**
 * One random, mostly hostile request for `dialect`. Always `Connection: close`, so that the
 * server ends every exchange itself and a hang is a finding, not a client waiting for a reuse.
 */
export function generateRequest(random: Random, dialect: FuzzDialect): FuzzRequest {
  const method = random.chance(0.85) ? random.pick(METHODS) : random.pick(ODD_METHODS);
  let path = random.pick(dialect.paths);
  for (let i = random.int(3); i > 0 && dialect.query.length > 0; i -= 1) {
    path += `${path.includes('?') ? '&' : '?'}${random.pick(dialect.query)}`;
  }
  // Half the paths unmutated: those reach the routes' own checks, one hostile value at a time.
  const mutations = random.chance(0.5) ? 0 : 1 + random.int(3);
  for (let i = mutations; i > 0; i -= 1) path = random.pick(PATH_MUTATIONS)(path, random);

  const lines = [`${method} ${path} HTTP/1.1`];
  if (random.chance(0.95)) lines.push('Host: 169.254.169.254');
  // Mostly the header a dialect requires, valid, so that requests get past its first refusal.
  for (const [name, value] of Object.entries(dialect.required)) {
    if (random.chance(0.9)) lines.push(`${name}: ${value}`);
  }
  for (const [name, values] of Object.entries(dialect.headers)) {
    if (!random.chance(0.3)) continue;
    lines.push(`${name}: ${random.pick(values)}`);
    if (random.chance(0.2)) lines.push(`${name}: ${random.pick(values)}`); // duplicated
  }
  if (random.chance(0.25)) lines.push(random.pick(JUNK_HEADERS));
  if (random.chance(0.05)) lines.push(`X-Huge: ${'h'.repeat(17_000 + random.int(50_000))}`);
  let body = '';
  if (random.chance(0.2)) {
    body = 'b'.repeat(random.chance(0.1) ? 1_000_000 : random.int(2_000));
    lines.push(`Content-Length: ${random.chance(0.8) ? body.length : body.length + 10}`);
  }
  lines.push('Connection: close');
  const head = lines.join('\r\n') + '\r\n\r\n';
  const label = JSON.stringify(head.length > 300 ? head.slice(0, 300) + '…' : head);
  return { label, bytes: Buffer.from(head + body, 'utf8') };
}
