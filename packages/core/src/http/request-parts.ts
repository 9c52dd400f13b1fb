import type { Context } from 'koa';

/**
 * The segments of a path, decoded, empty ones dropped: trailing and doubled slashes resolve like
 * single ones, as IMDS and GCE tolerate them. A malformed escape is kept as written, so it matches
 * nothing and gets the dialect's 404.
 */
export function pathSegments(path: string): string[] {
  // Scanned rather than `split('/')`, which costs twice as much on the paths of every request.
  const segments: string[] = [];
  for (let start = 0; start < path.length;) {
    const slash = path.indexOf('/', start);
    const end = slash === -1 ? path.length : slash;
    if (end > start) segments.push(decodeSegment(path.slice(start, end)));
    start = end + 1;
  }
  return segments;
}

/**
 * `pathSegments(path)[0]`, without splitting the rest of the path: for a dialect deciding whether
 * a request is its own, which every request of the dialects mounted after it asks.
 */
export function firstPathSegment(path: string): string | undefined {
  let start = 0;
  while (path.charCodeAt(start) === SLASH) start += 1;
  if (start === path.length) return undefined;
  const end = path.indexOf('/', start);
  return decodeSegment(end === -1 ? path.slice(start) : path.slice(start, end));
}

const SLASH = 0x2f;

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment; // the usual case, on every request: nothing to decode
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const QUERY = Symbol('guise.queryParams');

/**
 * The request's query parameters, parsed once per request. Read from the raw query string rather
 * than Koa's `ctx.URL`, which builds a whole URL (origin from the Host header included) that no
 * dialect needs, on every request that asks for a parameter.
 */
export function queryParams(ctx: Context): URLSearchParams {
  const state = ctx.state as Record<symbol, URLSearchParams | undefined>;
  return (state[QUERY] ??= new URLSearchParams(ctx.querystring));
}
