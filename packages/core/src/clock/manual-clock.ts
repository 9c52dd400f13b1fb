import type { Clock } from './clock.js';

interface PendingTask {
  at: number;
  seq: number;
  task: () => void;
}

/**
 * A clock that only moves when told to. `advance()` runs every task that falls due, in time order,
 * and lets promise continuations settle between them so async work triggered by a timer completes
 * before the next timer fires — as it would in real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private pending: PendingTask[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  schedule(task: () => void, delayMs: number): () => void {
    const entry: PendingTask = { at: this.current + Math.max(0, delayMs), seq: this.seq++, task };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** Number of tasks waiting to run. */
  get pendingTasks(): number {
    return this.pending.length;
  }

  /** When the next scheduled task falls due, or undefined when none is waiting. */
  nextDueAt(): number | undefined {
    return this.nextDue(Infinity)?.at;
  }

  /** Moves time forward by `ms`, running due tasks on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.nextDue(target);
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.current = Math.max(this.current, next.at);
      next.task();
    }
    this.current = target;
    await settle();
  }

  private nextDue(limit: number): PendingTask | undefined {
    let best: PendingTask | undefined;
    for (const p of this.pending) {
      if (p.at > limit) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }
}

/** Lets queued promise continuations (and I/O callbacks already due) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
