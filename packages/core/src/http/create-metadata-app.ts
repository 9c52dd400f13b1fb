import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../log/logger.js';
import type { MetadataProvider } from './metadata-provider.js';

/** One answered request, as metrics count it. */
export interface RequestSample {
  /** The provider that answered (`aws-imds`), or `none` for the final 404. */
  readonly dialect: string;
  /** The provider's `pathClass` of the path, `other` without one. */
  readonly pathClass: string;
  readonly status: number;
  readonly durationMs: number;
}

export interface MetadataAppOptions {
  readonly providers: readonly MetadataProvider[];
  readonly logger: Logger;
  /** Called after every response (e.g. to count it). Keep it cheap: it runs on every request. */
  readonly onResponse?: (sample: RequestSample) => void;
}

/** What the app notes about a request while it travels through the providers. */
interface RequestNotes {
  readonly id: string;
  answeredBy?: MetadataProvider;
}

const NOTES = Symbol('guise.requestNotes');

function notesOf(ctx: Context): RequestNotes | undefined {
  return (ctx.state as Record<symbol, RequestNotes | undefined>)[NOTES];
}

/**
 * The shared listener's Koa app: a request log, then every provider in order, then a plain 404
 * for what no dialect owns. Providers carry their own guards and error rendering; this app adds
 * only what is common, so the app itself stays trivial. Each request gets an id (a per-app random
 * prefix and a counter: unique, and free of any system call per request) that its log line carries.
 */
export function createMetadataApp({ providers, logger, onResponse }: MetadataAppOptions): Koa {
  const app = new Koa({ proxy: false });
  const log = logger.child({ component: 'http' });
  const prefix = randomBytes(4).toString('hex');
  let sequence = 0;
  // Koa's default handler prints stack traces to stderr; errors reaching it are logged once here.
  app.silent = true;
  app.on('error', (error: Error, ctx?: Context) =>
    log.warn('response failed', {
      error: error.message,
      ...(ctx && notesOf(ctx) ? { requestId: notesOf(ctx)?.id } : {}),
    }),
  );

  // The observing middleware exists only when someone looks: a debug log line per request, or a
  // metrics callback. Otherwise it is not installed at all, since timing a request and gathering
  // fields for a dropped line cost the hot path (npm run bench).
  const logRequests = log.isLevelEnabled?.('debug') ?? true;
  if (logRequests || onResponse) {
    app.use(async (ctx: Context, next: Next) => {
      const started = performance.now();
      const notes: RequestNotes = { id: `${prefix}-${(sequence += 1).toString(36)}` };
      (ctx.state as Record<symbol, RequestNotes>)[NOTES] = notes;
      await next();
      const durationMs = performance.now() - started;
      if (logRequests) {
        log.debug('request', {
          requestId: notes.id,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(durationMs * 10) / 10,
        });
      }
      if (onResponse) {
        const provider = notes.answeredBy;
        onResponse({
          dialect: provider?.name ?? 'none',
          pathClass: provider?.pathClass?.(ctx.path) ?? 'other',
          status: ctx.status,
          durationMs,
        });
      }
    });
  }
  for (const provider of providers) {
    app.use(onResponse ? noteAnswer(provider) : provider.middleware());
  }
  app.use((ctx: Context) => {
    ctx.status = 404;
    ctx.set('Content-Type', 'text/plain');
    ctx.body = 'Not Found';
  });
  return app;
}

/** The provider's middleware, noting the provider as the one that answered unless it passed on. */
function noteAnswer(provider: MetadataProvider): Middleware {
  const middleware = provider.middleware();
  return async (ctx: Context, next: Next) => {
    let passedOn = false;
    await middleware(ctx, () => {
      passedOn = true;
      return next();
    });
    const notes = notesOf(ctx);
    if (!passedOn && notes && notes.answeredBy === undefined) notes.answeredBy = provider;
  };
}
