import type { Context, Middleware, Next } from 'koa';
import { CredentialUnavailableError } from '../credentials/errors.js';
import type { Logger } from '../log/logger.js';

/**
 * Turns any error thrown below it into the dialect's own error response, so a bug or a backend
 * failure never surfaces as Koa's default 500 page or crashes the listener. `render` decides the
 * status and body per error kind (e.g. "credential unavailable" → a status the SDK retries).
 */
export function errorBoundary(
  logger: Logger,
  render: (ctx: Context, error: unknown) => void,
): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      // An unavailable credential is an outage the broker already logged once, when it began;
      // a line per request would flood the log exactly when it is read most.
      const level = error instanceof CredentialUnavailableError ? 'debug' : 'warn';
      logger[level]('request failed', {
        method: ctx.method,
        path: ctx.path,
        error: error instanceof Error ? error.message : String(error),
      });
      render(ctx, error);
    }
  };
}
