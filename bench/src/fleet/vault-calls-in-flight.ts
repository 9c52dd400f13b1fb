import type { ClientRequest } from 'node:http';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** What Node publishes on `http.client.request.start`. */
interface RequestStart {
  readonly request: ClientRequest;
}

const REQUEST_START = 'http.client.request.start';

/**
 * Counts HTTP requests to one address that have started and not yet closed, whoever sends them:
 * the agents' Vault sessions call Vault through node-vault's own HTTP client, out of the
 * simulation's reach, and Node's diagnostics channel sees every one of them without touching it.
 * A request counts from the moment it has a socket (Node publishes the start one `nextTick` after
 * `http.request()`, before any macrotask) until its `close` (answered, failed or timed out). No
 * request waits for a socket uncounted: node-vault's axios uses Node's global agent, which has no
 * socket limit.
 */
export class VaultCallsInFlight {
  private inFlight = 0;
  private readonly onStart = (message: unknown): void => {
    const { request } = message as RequestStart;
    if (request.getHeader('host') !== this.host) return;
    this.inFlight += 1;
    request.once('close', () => {
      this.inFlight -= 1;
    });
  };

  /** `host` as the Host header carries it: `127.0.0.1:8200`. */
  constructor(private readonly host: string) {
    subscribe(REQUEST_START, this.onStart);
  }

  get count(): number {
    return this.inFlight;
  }

  close(): void {
    unsubscribe(REQUEST_START, this.onStart);
  }
}
