import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/index.js';

const DAY = 24 * 3_600_000;

describe('systemClock.schedule', () => {
  afterEach(() => vi.useRealTimers());

  it('does not run a task due in 40 days after 1 ms, as a bare setTimeout would (its limit is 24.8 days)', async () => {
    const task = vi.fn();
    const cancel = systemClock.schedule(task, 40 * DAY);
    await sleep(30);
    cancel();
    expect(task).not.toHaveBeenCalled();
  });

  it('runs a task due beyond the limit once, when it is due', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const task = vi.fn();
    systemClock.schedule(task, 40 * DAY);
    vi.advanceTimersByTime(40 * DAY - 1);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(40 * DAY);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('cancels a long wait between its steps', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const task = vi.fn();
    const cancel = systemClock.schedule(task, 60 * DAY);
    vi.advanceTimersByTime(30 * DAY);
    cancel();
    vi.advanceTimersByTime(60 * DAY);
    expect(task).not.toHaveBeenCalled();
  });
});
