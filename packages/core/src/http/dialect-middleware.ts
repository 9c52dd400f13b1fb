import type { Context, Middleware } from 'koa';
import compose from 'koa-compose';

/**
 * A dialect as one Koa middleware: a request `owns` accepts goes through `steps` in order (its
 * guards, error boundary and routes), anything else is passed on untouched, so dialects can share
 * a listener and an application can mount one beside its own routes. The steps are composed once,
 * here: a request pays a call per step, not a chain built anew for it.
 */
export function dialectMiddleware(
  owns: (ctx: Context) => boolean,
  steps: readonly Middleware[],
): Middleware {
  const chain = compose([...steps]);
  return (ctx, next) => (owns(ctx) ? chain(ctx) : next());
}
