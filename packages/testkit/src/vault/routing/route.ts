import type { Handler, HandlerContext } from '../logical.js';

/** The handler slots of a route; `write` serves both `create` and `update` (POST/PUT). */
export type HandlerSlot = 'read' | 'list' | 'write' | 'delete' | 'patch';

/** One path of a backend, like an `sdk/framework` Path. */
export interface Route {
  readonly pattern: RegExp;
  readonly handlers: Readonly<Partial<Record<HandlerSlot, Handler>>>;
  /** Callable without a token (Vault's `PathsSpecial.Unauthenticated`, e.g. `login`). */
  readonly unauthenticated?: boolean;
  /** Needs the `sudo` capability besides the operation's (Vault's `PathsSpecial.Root`). */
  readonly sudo?: boolean;
  /**
   * The framework's ExistenceCheck: with one, a POST/PUT on a missing item is a `create`
   * (policy capability "create"), on an existing one an `update`; without one, always `update`.
   */
  readonly exists?: (context: HandlerContext) => boolean;
}

export interface RouteOptions {
  readonly unauthenticated?: boolean;
  readonly sudo?: boolean;
  readonly exists?: (context: HandlerContext) => boolean;
}

/**
 * A route from a path template relative to the mount: `:name` captures one segment, `*name`
 * captures the rest of the path (possibly empty, possibly with slashes).
 */
export function route(
  template: string,
  handlers: Route['handlers'],
  options: RouteOptions = {},
): Route {
  const source = template
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return `(?<${segment.slice(1)}>[^/]+)`;
      if (segment.startsWith('*')) return `(?<${segment.slice(1)}>.*)`;
      return segment.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), handlers, ...options };
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * The first route whose pattern matches `relativePath`. A trailing `/` (LIST paths get one) is
 * ignored, as sdk/framework patterns end in `/?`.
 */
export function matchRoute(routes: readonly Route[], relativePath: string): RouteMatch | undefined {
  const path = relativePath.endsWith('/') ? relativePath.slice(0, -1) : relativePath;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (match) return { route: candidate, params: { ...match.groups } };
  }
  return undefined;
}
