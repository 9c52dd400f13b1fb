import { STATUS_CODES } from 'node:http';

/**
 * Failure modes a test can switch on a running fake Vault (reference §10, §11.6).
 */
export interface VaultFaults {
  /**
   * Sealed: every request except `sys/health` (and `sys/seal-status`, which a sealed Vault still
   * answers) gets 503 `{"errors":["Vault is sealed"]}`; `sys/health` answers its `sealedcode`
   * (503 by default) with `"sealed": true`.
   */
  sealed: boolean;
  /** Milliseconds every response (health included) is held back before it is sent. */
  delayMs: number;
  /**
   * When set (an active node's base URL, e.g. another fake's `url`), this node acts as a standby
   * that does not forward: every request gets `307` with `Location: <standbyRedirectTo>/v1/...`
   * (path and query kept, empty body), except `sys/health`, which a standby answers itself
   * (`standbycode`, 429 by default, or the active code with `standbyok=true`).
   */
  standbyRedirectTo: string | undefined;
  /**
   * A performance standby (Enterprise): requests are answered as on the active node (reads are
   * served locally, writes forwarded), and `sys/health` says `performance_standby: true` with
   * `performancestandbycode` (473 by default, or the active code with `perfstandbyok=true`).
   */
  performanceStandby: boolean;
  /**
   * Gone from the network: every connection is cut as soon as it carries a request (kept-alive
   * ones included), health included, without an answer — clients see a reset connection
   * (`socket hang up`, ECONNRESET), as when the node or its listener is down.
   */
  unreachable: boolean;
  /**
   * The next `count` requests other than `sys/health` are answered with `status` and
   * `{"errors":[message]}`. Default messages are Vault's for that status: 429 `rate limit quota
   * exceeded`, 500 `internal error`, 502 `upstream rate limited`, 503 `Vault is sealed`, 412
   * `required index state not present`, otherwise the HTTP reason phrase.
   */
  failNext(count: number, status: number, message?: string): void;
  /** Drops the failures `failNext` queued that have not been used yet (the outage is over). */
  clearFailures(): void;
}

const VAULT_MESSAGES: Readonly<Record<number, string>> = {
  412: 'required index state not present',
  429: 'rate limit quota exceeded',
  500: 'internal error',
  502: 'upstream rate limited',
  503: 'Vault is sealed',
};

export interface InjectedFailure {
  readonly status: number;
  readonly message: string;
}

export class FaultSwitches implements VaultFaults {
  sealed = false;
  delayMs = 0;
  standbyRedirectTo: string | undefined = undefined;
  performanceStandby = false;
  unreachable = false;
  private readonly queued: InjectedFailure[] = [];

  failNext(count: number, status: number, message?: string): void {
    const text = message ?? VAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? `status ${status}`;
    for (let i = 0; i < count; i += 1) this.queued.push({ status, message: text });
  }

  clearFailures(): void {
    this.queued.length = 0;
  }

  /** The failure to inject into the current request, if one is queued. */
  takeFailure(): InjectedFailure | undefined {
    return this.queued.shift();
  }
}
