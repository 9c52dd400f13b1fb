import Koa from 'koa';
import type { Context, Next } from 'koa';
import type { Logger } from '../log/logger.js';
import type { MetadataProvider } from './metadata-provider.js';

export interface MetadataAppOptions {
  readonly providers: readonly MetadataProvider[];
  readonly logger: Logger;
}

/**
 * The shared listener's Koa app: a request log (at debug level only), then every provider in order, then a plain 404
 * for what no dialect owns. Providers carry their own guards and error rendering; this app adds
 * only what is common, so the app itself stays trivial.
 */
export function createMetadataApp({ providers, logger }: MetadataAppOptions): Koa {
  const app = new Koa({ proxy: false });
  const log = logger.child({ component: 'http' });
  // Koa's default handler prints stack traces to stderr; errors reaching it are logged once here.
  app.silent = true;
  app.on('error', (error: Error) => log.warn('response failed', { error: error.message }));

  // A line per request exists only at debug level; below it the middleware is not installed at
  // all, since timing and gathering fields for a dropped line cost the hot path (npm run bench).
  if (log.isLevelEnabled?.('debug') ?? true) {
    app.use(async (ctx: Context, next: Next) => {
      const started = performance.now();
      await next();
      log.debug('request', {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
  }
  for (const provider of providers) app.use(provider.middleware());
  app.use((ctx: Context) => {
    ctx.status = 404;
    ctx.set('Content-Type', 'text/plain');
    ctx.body = 'Not Found';
  });
  return app;
}
