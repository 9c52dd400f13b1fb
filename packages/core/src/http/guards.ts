import type { Context, Middleware, Next } from 'koa';

/** How a dialect answers a request it refuses; each cloud has its own status, type and body. */
export type Refusal = (ctx: Context) => void;

/**
 * Refuses requests that carry `X-Forwarded-For`: every cloud's metadata service does, because a
 * request that went through a proxy may come from outside the machine (SSRF protection). The
 * header's presence is what counts, so an empty one is refused too.
 */
export function rejectForwarded(refuse: Refusal): Middleware {
  return (ctx: Context, next: Next) =>
    ctx.req.headers['x-forwarded-for'] === undefined ? next() : refuse(ctx);
}

/**
 * Refuses requests without `header: value` (GCE's `Metadata-Flavor: Google`, Azure's
 * `Metadata: true`), which a browser tricked into a cross-origin request cannot add. The value is
 * compared without regard to case.
 */
export function requireHeader(header: string, value: string, refuse: Refusal): Middleware {
  const expected = value.toLowerCase();
  return (ctx: Context, next: Next) =>
    ctx.get(header).toLowerCase() === expected ? next() : refuse(ctx);
}

/**
 * Refuses requests whose method is not one of `methods` (metadata is read with GET and HEAD; each
 * cloud answers anything else with its own 405).
 */
export function allowMethods(methods: readonly string[], refuse: Refusal): Middleware {
  return (ctx: Context, next: Next) => (methods.includes(ctx.method) ? next() : refuse(ctx));
}

/**
 * Sets headers every response of a dialect carries, errors included (`Server: EC2ws`). They are
 * set before the dialect runs and stay: its error boundary renders errors in place, and an error
 * that escaped it would reach Koa, which drops every header of the failed response anyway.
 */
export function alwaysSet(headers: Readonly<Record<string, string>>): Middleware {
  const entries = Object.entries(headers);
  return (ctx: Context, next: Next) => {
    // `ctx.response.set` rather than `ctx.set`, Koa's delegate to it, which costs as much again
    // per call, on every response (npm run bench); likewise wherever a response sets headers.
    for (const [name, value] of entries) ctx.response.set(name, value);
    return next();
  };
}

/**
 * Writes `body` with exactly `contentType` — no `; charset=utf-8` appended, which Koa would add
 * when given a bare type and which some clients compare byte for byte.
 */
export function sendExact(
  ctx: Context,
  status: number,
  contentType: string,
  body: string | Buffer,
): void {
  ctx.status = status;
  ctx.response.set('Content-Type', contentType);
  ctx.body = body;
}
