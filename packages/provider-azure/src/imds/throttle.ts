import type { Clock } from '@guise/core';

/**
 * A token bucket: IMDS throttles the identity category at 20 requests per second per VM
 * (IMDSDOC §Rate limiting, reference/azure-imds.md §0.9). Full at start, refilled continuously.
 */
export class Throttle {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perSecond;
    this.updatedAt = clock.now();
  }

  /** Takes one request's worth; false when over the limit. */
  tryAcquire(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(
      this.perSecond,
      this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond,
    );
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
