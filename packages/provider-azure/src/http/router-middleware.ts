import type Router from '@koa/router';
import type { Middleware } from 'koa';

/**
 * A router's routes as a plain Koa middleware for `koa-compose`. The router sets `ctx.params` and
 * `ctx.router` itself; its type wants them present already, hence the one cast.
 */
export function routerMiddleware(router: Router): Middleware {
  const routes = router.routes();
  return (ctx, next) => routes(ctx as Parameters<typeof routes>[0], next);
}
