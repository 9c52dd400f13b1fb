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

/**
 * The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days). Node runs a longer one after
 * 1 ms, with a warning: a 32-day lease would be renewed, rescheduled and renewed again in a loop.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(task, delayMs) {
    const due = Date.now() + Math.max(0, delayMs);
    let timer: NodeJS.Timeout;
    // A delay beyond the limit is waited out in steps, each re-armed for what is left.
    const arm = () => {
      const left = Math.max(0, due - Date.now());
      timer = setTimeout(left > MAX_TIMER_MS ? arm : task, Math.min(left, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  },
};
