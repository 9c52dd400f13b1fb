import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import type { Context } from 'koa';
import type { Clock } from '../clock/clock.js';

/**
 * The longest an answer is replayed, whatever its dialect allowed. Clients on a machine ask for
 * the same credential in bursts (every SDK process, every pod, every retry), so even one second
 * takes nearly every request of a burst off the full path; and nothing a dialect forgot to bound
 * outlives it by more.
 */
export const ANSWER_MAX_AGE_MS = 1_000;

/** Distinct requests kept at once; a client varying its headers cannot grow it past this. */
const MAX_ENTRIES = 256;

/**
 * Requests longer than this (method, URL and header lines) are never kept: an SDK's are a few
 * hundred characters, and the listener's header limit may be set as high as 1 MiB.
 */
const MAX_KEY_CHARS = 8_192;

/** What metrics count of an answer, bar its duration; a replay counts what its original did. */
export interface AnswerSample {
  /** The provider that answered (`aws-imds`), or `none` for the final 404. */
  readonly dialect: string;
  /** The provider's `pathClass` of the path, `other` without one. */
  readonly pathClass: string;
  readonly status: number;
}

/** How a dialect lets an answer be replayed (see `cacheAnswer`). */
interface Replayable {
  /** Epoch ms (the injected clock's) after which the answer would be written differently. */
  until: number;
  /** Asked on every replay; false sends the request down the full path instead. */
  admit?: () => boolean;
}

/** One kept answer; only a 200 is kept (`record`). */
interface Entry {
  /** Name, value, name, value, … with the names cased as the dialect set them. */
  readonly headers: OutgoingHttpHeader[];
  readonly body: Buffer;
  /** When it was recorded: a clock set back before it (NTP stepping) ends the replays. */
  readonly recordedAt: number;
  readonly until: number;
  readonly admit: (() => boolean) | undefined;
  readonly sample: AnswerSample | undefined;
}

const REPLAYABLE = Symbol('guise.replayable');

/**
 * Marks the answer being written to `ctx` as one that may be replayed, byte for byte, to an
 * identical request (same method, URL and header lines) until `until` — the moment something in it
 * would change, such as `expires_in` losing a second. A dialect calls it on its credential answers;
 * with several calls the earliest `until` holds. `admit` is asked before each replay: a check the
 * dialect makes of every request, like Azure's identity throttle, that must not be skipped.
 * Whatever its method, a request marked so must be one that may be answered alike again without
 * running the dialect (AWS's token PUT is). Only a 200 is kept, and only where the listener has an
 * AnswerCache.
 */
export function cacheAnswer(ctx: Context, until: number, admit?: () => boolean): void {
  const state = ctx.state as Record<symbol, Replayable | undefined>;
  const marked = state[REPLAYABLE];
  if (marked) marked.until = Math.min(marked.until, until);
  else state[REPLAYABLE] = { until, admit };
}

/**
 * Answers already given, replayed in front of Koa. On the cached credential path a request's own
 * work is small beside what Koa spends per request (a context, its delegates, a promise per
 * middleware); a replay costs a map lookup and the write, so guise answers such bursts at the
 * speed of bare `node:http` (npm run bench, docs/BENCHMARKS.md).
 *
 * It is correct by construction rather than by rules of its own: the key is the whole request
 * (method, URL, every header line as sent), so whatever a dialect's guards and routes read, an
 * entry is only ever replayed to a request they would have answered alike; the dialect says how
 * long the answer stays true (`cacheAnswer`); and `clear()` drops everything when a credential
 * changes (the agent calls it on every broker event), so a rotation is seen at once. What the
 * broker does not announce (a credential sinking below a serving floor, a replacement becoming
 * usable at its `usableFrom`) is seen up to ANSWER_MAX_AGE_MS late: well inside every margin, the
 * smallest of which (serving in an outage until a minute before expiry) is sixty times longer.
 *
 * Its size is bounded: MAX_ENTRIES answers, each keyed by at most MAX_KEY_CHARS of request.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    /** Called for every replayed answer, as the app's `onResponse` is for the others. */
    private readonly onReplay?: (sample: AnswerSample, durationMs: number) => void,
  ) {}

  /**
   * Keeps the answer written to `ctx` if its dialect marked it (Koa side, after the dialects), with
   * what `sample` says of it for `onReplay`.
   */
  record(ctx: Context, sample?: () => AnswerSample): void {
    const replayable = (ctx.state as Record<symbol, Replayable | undefined>)[REPLAYABLE];
    if (!replayable || ctx.status !== 200) return;
    const { body } = ctx;
    if (!Buffer.isBuffer(body) && typeof body !== 'string') return;
    const now = this.clock.now();
    const until = Math.min(replayable.until, now + ANSWER_MAX_AGE_MS);
    if (until <= now) return;
    const key = keyOf(ctx.req);
    if (key.length > MAX_KEY_CHARS) return;
    const res = ctx.res as RawHeaderNames;
    const headers = res.getRawHeaderNames().flatMap((name) => [name, headerValue(res, name)]);
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) this.evict(now);
    this.entries.set(key, {
      headers,
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      recordedAt: now,
      until,
      admit: replayable.admit,
      sample: this.onReplay && sample?.(),
    });
  }

  /** Answers `req` from the cache if it can (Node side, before Koa); false leaves it to Koa. */
  replay(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.entries.size === 0) return false;
    const started = this.onReplay ? performance.now() : 0;
    const entry = this.entries.get(keyOf(req));
    if (!entry) return false;
    const now = this.clock.now();
    if (now < entry.recordedAt || now >= entry.until || (entry.admit && !entry.admit()))
      return false;
    res.writeHead(200, entry.headers);
    res.end(entry.body);
    if (this.onReplay && entry.sample) this.onReplay(entry.sample, performance.now() - started);
    return true;
  }

  /** Forgets every answer: a credential was issued, refreshed or renewed. */
  clear(): void {
    this.entries.clear();
  }

  /** Expired entries go; if none had, the oldest. */
  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    if (this.entries.size < MAX_ENTRIES) return;
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}

/**
 * `getRawHeaderNames` is Node's on every OutgoingMessage (lib/_http_outgoing.js, since 15.13), but
 * @types/node declares it on ClientRequest only. The names as set keep a replay's bytes identical
 * to the first answer's, where `getHeaderNames` would lower-case them.
 */
type RawHeaderNames = ServerResponse & { getRawHeaderNames(): string[] };

/** Node rejects CR and LF in header lines, so a newline cannot occur inside one part. */
function keyOf(req: IncomingMessage): string {
  return `${req.method} ${req.url}\n${req.rawHeaders.join('\n')}`;
}

function headerValue(res: ServerResponse, name: string): OutgoingHttpHeader {
  const value = res.getHeader(name);
  return value === undefined ? '' : typeof value === 'number' ? String(value) : value;
}
