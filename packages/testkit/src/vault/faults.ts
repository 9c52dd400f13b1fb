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
  /**
   * From now on every `n`-th request other than `sys/health` is answered with `status` (default
   * messages as `failNext`), the others normally: a flaky Vault rather than a down one.
   */
  failEvery(n: number, status: number, message?: string): void;
  /** Drops the failures `failNext` queued and stops `failEvery` (the outage is over). */
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
  private periodic: { readonly every: number; readonly failure: InjectedFailure } | undefined;
  private counted = 0;

  failNext(count: number, status: number, message?: string): void {
    const failure = failureOf(status, message);
    for (let i = 0; i < count; i += 1) this.queued.push(failure);
  }

  failEvery(n: number, status: number, message?: string): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`failEvery: n must be 1 or more, got ${n}`);
    this.periodic = { every: n, failure: failureOf(status, message) };
    this.counted = 0;
  }

  clearFailures(): void {
    this.queued.length = 0;
    this.periodic = undefined;
  }

  /** The failure to inject into the current request, if one is due. */
  takeFailure(): InjectedFailure | undefined {
    const queued = this.queued.shift();
    if (queued || !this.periodic) return queued;
    this.counted += 1;
    return this.counted % this.periodic.every === 0 ? this.periodic.failure : undefined;
  }
}

function failureOf(status: number, message: string | undefined): InjectedFailure {
  return {
    status,
    message: message ?? VAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? `status ${status}`,
  };
}
