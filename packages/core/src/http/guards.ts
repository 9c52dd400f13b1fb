import type { Context, Middleware, Next } from 'koa';

/** How a dialect answers a request it refuses; each cloud has its own status, type and body. */
export type Refusal = (ctx: Context) => void;

/**
 * Refuses requests that carry `X-Forwarded-For`: every cloud's metadata service does, because a
 * request that went through a proxy may come from outside the machine (SSRF protection).
 */
export function rejectForwarded(refuse: Refusal): Middleware {
  return async (ctx: Context, next: Next) => {
    if (ctx.get('x-forwarded-for') !== '') return refuse(ctx);
    await next();
  };
}

/**
 * Refuses requests without `header: value` (GCE's `Metadata-Flavor: Google`, Azure's
 * `Metadata: true`), which a browser tricked into a cross-origin request cannot add.
 */
export function requireHeader(header: string, value: string, refuse: Refusal): Middleware {
  return async (ctx: Context, next: Next) => {
    if (ctx.get(header).toLowerCase() !== value.toLowerCase()) return refuse(ctx);
    await next();
  };
}

/** Sets headers every response of a dialect carries, errors included (`Server: EC2ws`). */
export function alwaysSet(headers: Readonly<Record<string, string>>): Middleware {
  return async (ctx: Context, next: Next) => {
    ctx.set(headers);
    try {
      await next();
    } finally {
      // Koa drops headers set before an error is thrown, so they are set again on the way out.
      ctx.set(headers);
    }
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
  ctx.set('Content-Type', contentType);
  ctx.body = body;
}
