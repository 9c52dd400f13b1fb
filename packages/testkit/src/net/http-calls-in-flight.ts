import type { ClientRequest } from 'node:http';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** What Node publishes on `http.client.request.start`. */
interface RequestStart {
  readonly request: ClientRequest;
}

const REQUEST_START = 'http.client.request.start';

/**
 * Counts `node:http` client requests (to one address, or to any) that have started and not yet
 * closed, whoever sends them: an agent calls Vault through node-vault's own HTTP client and the
 * clouds' token services through their SDKs', out of a test's reach, and Node's diagnostics
 * channel sees every one of them without touching it. (`fetch` is undici's and not counted.)
 * A request counts from the moment it has a socket (Node publishes the start one `nextTick` after
 * `http.request()`, before any macrotask) until its `close` (answered, failed or timed out). No
 * request waits for a socket uncounted: node-vault's axios uses Node's global agent, which has no
 * socket limit.
 */
export class HttpCallsInFlight {
  private inFlight = 0;
  private readonly onStart = (message: unknown): void => {
    const { request } = message as RequestStart;
    if (this.host !== undefined && request.getHeader('host') !== this.host) return;
    this.inFlight += 1;
    request.once('close', () => {
      this.inFlight -= 1;
    });
  };

  /** `host` as the Host header carries it (`127.0.0.1:8200`); none counts every request. */
  constructor(private readonly host?: string) {
    subscribe(REQUEST_START, this.onStart);
  }

  get count(): number {
    return this.inFlight;
  }

  close(): void {
    unsubscribe(REQUEST_START, this.onStart);
  }
}
