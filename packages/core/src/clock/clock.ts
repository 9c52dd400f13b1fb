/**
 * Time, injected. Everything in guise that asks "what time is it?" or "wake me later" goes through a
 * Clock, so tests and the fleet simulation can move time instead of waiting for it.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` after `delayMs`; the returned function cancels it. Never keeps the process alive. */
  schedule(task: () => void, delayMs: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(task, delayMs) {
    const timer = setTimeout(task, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
