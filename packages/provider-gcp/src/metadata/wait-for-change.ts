import type { Context } from 'koa';
import type { Clock } from '@guise/core';
import type { MetadataStore } from './metadata-store.js';
import type { MetadataQuery } from './query.js';
import type { Answer, Representation } from './represent.js';

/** Counts hanging requests so that a flood of them cannot pin the agent's memory or sockets. */
export class HangingGets {
  private active = 0;
  constructor(private readonly max: number) {}

  tryEnter(): boolean {
    if (this.active >= this.max) return false;
    this.active += 1;
    return true;
  }

  leave(): void {
    this.active -= 1;
  }
}

export interface WaitDeps {
  readonly store: MetadataStore;
  readonly clock: Clock;
  readonly hanging: HangingGets;
}

/**
 * `wait_for_change=true` (reference/gcp-metadata.md §1.2): with a `last_etag` other than the
 * current one, answer at once; otherwise hang until the answer's ETag differs from it or
 * `timeout_sec` runs out (no timeout: until a change), then answer what is current. Resolves
 * `'busy'` when too many requests hang already and `'gone'` when the client hung up.
 */
export async function waitForChange(
  ctx: Context,
  first: Representation,
  query: MetadataQuery,
  render: () => Answer,
  { store, clock, hanging }: WaitDeps,
): Promise<Answer | 'busy' | 'gone'> {
  const baseline = query.lastEtag ?? first.etag;
  if (baseline !== first.etag) return first;
  if (!hanging.tryEnter()) return 'busy';
  const deadline =
    query.timeoutSec === undefined ? undefined : clock.now() + query.timeoutSec * 1000;
  let gone = false;
  const hungUp = new Promise<void>((resolve) =>
    ctx.res.once('close', () => {
      gone = true;
      resolve();
    }),
  );
  try {
    for (;;) {
      const { changed, cancel } = store.nextChange();
      let cancelTimer: () => void = () => undefined;
      const timedOut = new Promise<void>((resolve) => {
        if (deadline !== undefined) cancelTimer = clock.schedule(resolve, deadline - clock.now());
      });
      await Promise.race([changed, timedOut, hungUp]);
      cancel();
      cancelTimer();
      if (gone) return 'gone';
      const answer = render();
      const expired = deadline !== undefined && clock.now() >= deadline;
      if (expired || answer.kind !== 'ok' || answer.etag !== baseline) return answer;
    }
  } finally {
    hanging.leave();
  }
}
