import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../log/logger.js';
import type { AnswerCache, AnswerSample } from './answer-cache.js';
import type { MetadataProvider } from './metadata-provider.js';

/** One answered request, as metrics count it. */
export interface RequestSample extends AnswerSample {
  readonly durationMs: number;
}

export interface MetadataAppOptions {
  readonly providers: readonly MetadataProvider[];
  readonly logger: Logger;
  /** Called after every response (e.g. to count it). Keep it cheap: it runs on every request. */
  readonly onResponse?: (sample: RequestSample) => void;
  /**
   * Where answers that dialects mark replayable are kept, for `listen` to replay in front of Koa.
   * Leave it out where requests must each be seen in full (debug logging does).
   */
  readonly answers?: AnswerCache;
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
export function createMetadataApp({
  providers,
  logger,
  onResponse,
  answers,
}: MetadataAppOptions): Koa {
  // Plain JavaScript callers get what is wrong in words, not "providers is not iterable".
  if (!Array.isArray(providers) || providers.some((p) => typeof p?.middleware !== 'function'))
    throw new TypeError('createMetadataApp: providers must be an array of MetadataProviders');
  if (typeof logger?.child !== 'function')
    throw new TypeError('createMetadataApp: logger is required (silentLogger logs nothing)');
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

  // The observing middleware exists only when someone looks: a debug log line per request, a
  // metrics callback, or an answer cache. Otherwise it is not installed at all, since timing a
  // request and gathering fields for a dropped line cost the hot path (npm run bench).
  const logRequests = log.isLevelEnabled?.('debug') ?? true;
  if (logRequests || onResponse || answers) {
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
      let sample: AnswerSample | undefined;
      const sampled = () => (sample ??= sampleOf(ctx, notes));
      if (onResponse) onResponse({ ...sampled(), durationMs });
      // The cache keeps the sample with the answer, so that each replay is counted alike.
      answers?.record(ctx, sampled);
    });
  }
  for (const provider of providers) {
    app.use(onResponse || answers ? noteAnswer(provider) : provider.middleware());
  }
  app.use((ctx: Context) => {
    ctx.status = 404;
    ctx.set('Content-Type', 'text/plain');
    ctx.body = 'Not Found';
  });
  return app;
}

function sampleOf(ctx: Context, notes: RequestNotes): AnswerSample {
  const provider = notes.answeredBy;
  return {
    dialect: provider?.name ?? 'none',
    pathClass: provider?.pathClass?.(ctx.path) ?? 'other',
    status: ctx.status,
  };
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
