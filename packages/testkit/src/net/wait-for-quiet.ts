import type { HttpCallsInFlight } from './http-calls-in-flight.js';

/** Turns of the event loop that must stay quiet before a fake clock may move again. */
const QUIET_TURNS = 2;
/** Real time after which calls that never end are a bug of their own, not slowness. */
const DEADLINE_MS = 60_000;

/**
 * Waits until no counted call is on the wire and `answered()` (what the fakes have answered so
 * far) has not moved for `QUIET_TURNS` turns of the event loop in a row: every agent is then
 * waiting on the fake clock again, so advancing it cannot fire a timer in the middle of a round
 * trip, and whatever the last move of the clock set off has finished.
 *
 * A turn (`setImmediate`) runs every promise continuation and `nextTick` queued before it, and
 * polls for I/O: what an answer sets off (an issue after a login, Node publishing the next
 * request's start) has happened by the end of the turn that delivered the answer. The second
 * quiet turn is margin, not a guess at timing; real waits are not needed.
 */
export async function waitForQuiet(
  calls: HttpCallsInFlight,
  answered: () => number,
): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS;
  let quietTurns = 0;
  let lastAnswered = answered();
  while (quietTurns < QUIET_TURNS) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = answered();
    quietTurns = calls.count === 0 && now === lastAnswered ? quietTurns + 1 : 0;
    lastAnswered = now;
    if (performance.now() > deadline) {
      throw new Error(`HTTP calls still in flight after ${DEADLINE_MS / 1000} s`);
    }
  }
}
