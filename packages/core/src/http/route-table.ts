import type { Middleware } from 'koa';

/** A route: the paths it answers, matched against the raw path, and the middleware answering. */
export type Route = readonly [pattern: RegExp, answer: Middleware];

/**
 * Routes as one Koa middleware: the first route whose pattern matches the path answers, a path no
 * route matches is passed on. A table rather than a router: a router tests every route, builds a
 * middleware chain and decodes parameters on every request, which was a sizeable share of an
 * identity token request's cost (npm run bench); a dialect's few fixed paths need none of that.
 */
export function routeTable(routes: readonly Route[]): Middleware {
  return (ctx, next) => {
    for (const [pattern, answer] of routes) if (pattern.test(ctx.path)) return answer(ctx, next);
    return next();
  };
}
