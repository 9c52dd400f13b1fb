import type { VaultCallsInFlight } from './vault-calls-in-flight.js';

/** Turns of the event loop the fleet must stay quiet for before the clock may move again. */
const QUIET_TURNS = 2;
/** Real time after which a fleet that never goes quiet is a bug in the simulation, not a figure. */
const DEADLINE_MS = 60_000;

/**
 * Waits until no Vault call is on the wire and the fake Vault has answered nothing new for
 * `QUIET_TURNS` turns of the event loop in a row: every agent is then waiting on the fake clock
 * again, so advancing it cannot fire a timer in the middle of a round trip.
 *
 * A turn (`setImmediate`) runs every promise continuation and `nextTick` queued before it, and
 * polls for I/O: what an answer sets off (an issue after a login, Node publishing the next
 * request's start) has happened by the end of the turn that delivered the answer. The second
 * quiet turn is margin, not a guess at timing; real waits are not needed.
 */
export async function waitForQuiet(
  calls: VaultCallsInFlight,
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
      throw new Error(`fleet: Vault calls still in flight after ${DEADLINE_MS / 1000} s`);
    }
  }
}
