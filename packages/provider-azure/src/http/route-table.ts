import type { Middleware } from 'koa';

/** A route: the paths it answers, matched against the raw path, and the middleware answering. */
export type Route = readonly [pattern: RegExp, answer: Middleware];

/**
 * Routes as one Koa middleware: the first route whose pattern matches the path answers, a path no
 * route matches is passed on. A table rather than a router: a router tests every route, builds a
 * middleware chain and decodes parameters on every request, which was a sizeable share of an
 * identity token request's cost (npm run bench).
 */
export function routeTable(routes: readonly Route[]): Middleware {
  return (ctx, next) => {
    for (const [pattern, answer] of routes) if (pattern.test(ctx.path)) return answer(ctx, next);
    return next();
  };
}

/**
 * The pattern of one literal path (letters, digits, `-` and `/`) as Azure matches it: without
 * regard to case ("the '/metadata' portion is case-insensitive", reference/azure-imds.md §0.10),
 * with or without a trailing slash, and with doubled slashes read as one: msal-node joins
 * `AZURE_POD_IDENTITY_AUTHORITY_HOST` and the path with a slash of its own, so a host given with a
 * trailing slash asks for `//metadata/identity/oauth2/token/`.
 */
export function azurePath(path: string): RegExp {
  return new RegExp(`^${path.replaceAll('/', '/+')}/*$`, 'i');
}
