import { readFileSync } from 'node:fs';
import nodeVault from 'node-vault';
import type { Clock } from '../clock/clock.js';
import type { Logger } from '../log/logger.js';
import { VaultRequestError, VaultUnreachableError } from './errors.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import type { VaultAuth, VaultResponse, VaultWrapInfo } from './vault-response.js';

export type VaultMethod = 'GET' | 'POST' | 'PUT';

/** One Vault API call, as the rest of the session describes it. */
export interface VaultCall {
  readonly method: VaultMethod;
  /** Path under `/v1/`, e.g. `auth/token/lookup-self`. */
  readonly path: string;
  /** Sent as `X-Vault-Token`; omitted for unauthenticated calls (login, wrapping lookup). */
  readonly token?: string;
  /** GET only: Vault reads query parameters on GET and ignores them on POST/PUT (§1.2). */
  readonly query?: Readonly<Record<string, string>>;
  /** JSON body; omitted means no body at all (required by unwrap with the wrapping token, §2.3). */
  readonly body?: Readonly<Record<string, unknown>>;
}

export interface VaultClientOptions {
  readonly addresses: readonly string[];
  readonly namespace?: string;
  readonly caFile?: string;
  readonly requestTimeoutMs: number;
}

/** What node-vault's `request()` takes and does, typed: the one place its loose types are touched. */
type Send = (request: {
  method: VaultMethod;
  path: string;
  headers: Record<string, string>;
  json?: Readonly<Record<string, unknown>>;
  timeout: number;
}) => Promise<unknown>;

interface Endpoint {
  readonly address: string;
  readonly send: Send;
}

/**
 * A thin wrapper over node-vault: several addresses, namespace, CA bundle, bounded retries with
 * backoff, and Vault's errors as VaultRequestError / VaultUnreachableError.
 *
 * 307 from a standby (§1.3, §10 #5) is left to node-vault's axios, which follows redirects for every
 * method; checked against a redirecting fake: method, JSON body, `X-Vault-Token` and
 * `X-Vault-Namespace` all reach the active node (only `Authorization`, which we never send, is
 * dropped on a change of host).
 */
export class VaultClient {
  private readonly endpoints: readonly Endpoint[];
  /** The address that answered last: the one in use. */
  private current: Endpoint;
  /** Where the next round starts: `current`, or the address after a sealed/overloaded one. */
  private startAt: Endpoint;

  constructor(
    private readonly options: VaultClientOptions,
    private readonly retry: RetryPolicy,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    const ca = options.caFile === undefined ? undefined : readFileSync(options.caFile, 'utf8');
    const [first, ...others] = options.addresses.map((address) => ({
      address,
      send: nodeVaultSender(address, options.namespace, ca),
    }));
    if (first === undefined) throw new Error('vault: at least one address is required');
    this.endpoints = [first, ...others];
    this.current = first;
    this.startAt = first;
  }

  /** The address in use: the last one that answered. */
  get address(): string {
    return this.current.address;
  }

  /**
   * Performs `call`, retrying transient failures (412, 429, 5xx incl. 503 sealed, connection errors
   * on every address) with full-jitter backoff up to the retry policy's attempt limit.
   */
  async call<D = Record<string, unknown>>(call: VaultCall): Promise<VaultResponse<D>> {
    for (let failures = 1; ; failures++) {
      let failure: VaultRequestError | VaultUnreachableError;
      try {
        return toEnvelope<D>(await this.attempt(call), call.path);
      } catch (error) {
        const transient =
          error instanceof VaultUnreachableError ||
          (error instanceof VaultRequestError && error.transient);
        if (!transient) throw error;
        failure = error;
      }
      if (!this.retry.allowsRetry(failures)) throw failure;
      const delayMs = this.retry.delayMs(failures);
      this.log.debug('vault request failed; retrying', {
        method: call.method,
        path: call.path,
        error: failure.message,
        attempt: failures,
        retryInMs: delayMs,
      });
      await new Promise<void>((resolve) => this.clock.schedule(resolve, delayMs));
    }
  }

  /** One round: the preferred address first, the others in order when it cannot be reached. */
  private async attempt(call: VaultCall): Promise<unknown> {
    const reasons: string[] = [];
    for (const endpoint of this.roundFrom(this.startAt)) {
      try {
        const body = await endpoint.send(this.toRequest(call));
        this.answeredBy(endpoint);
        return body;
      } catch (error) {
        const status = httpStatusOf(error);
        if (status !== undefined) {
          const refusal = new VaultRequestError(status.code, status.errors, call.path);
          // A sealed or overloaded node should not keep us: the retry starts at the next address.
          // Any other answer (403, 400, ...) proves this address is the one to talk to.
          if (refusal.transient) this.startAt = this.roundFrom(endpoint)[1] ?? endpoint;
          else this.answeredBy(endpoint);
          throw refusal;
        }
        const reason = connectionFailure(error);
        if (reason === undefined) throw error;
        reasons.push(`${endpoint.address}: ${reason}`);
      }
    }
    throw new VaultUnreachableError(
      `vault ${call.path}: no address reachable (${reasons.join('; ')})`,
    );
  }

  /** Every endpoint once, starting at `first`. */
  private roundFrom(first: Endpoint): Endpoint[] {
    const at = this.endpoints.indexOf(first);
    return [...this.endpoints.slice(at), ...this.endpoints.slice(0, at)];
  }

  private answeredBy(endpoint: Endpoint): void {
    if (endpoint !== this.current) {
      this.log.info('vault address changed', { from: this.current.address, to: endpoint.address });
    }
    this.current = endpoint;
    this.startAt = endpoint;
  }

  private toRequest(call: VaultCall): Parameters<Send>[0] {
    const query =
      call.query && Object.keys(call.query).length > 0 ? `?${new URLSearchParams(call.query)}` : '';
    return {
      method: call.method,
      path: `/${call.path.replace(/^\/+/, '')}${query}`,
      headers: call.token === undefined ? {} : { 'X-Vault-Token': call.token },
      ...(call.body === undefined ? {} : { json: call.body }),
      timeout: this.options.requestTimeoutMs,
    };
  }
}

function nodeVaultSender(
  address: string,
  namespace: string | undefined,
  ca: string | undefined,
): Send {
  const client = nodeVault({
    endpoint: address,
    // node-vault's own debug output prints request bodies, i.e. secret_ids: never let DEBUG enable it.
    debug: () => undefined,
    // strictSSL set explicitly: node-vault otherwise turns TLS checks off whenever VAULT_SKIP_VERIFY
    // is non-empty, even "false" (§8.1).
    requestOptions: { strictSSL: true, ...(ca === undefined ? {} : { ca }) },
  });
  // node-vault falls back to VAULT_TOKEN, VAULT_PREFIX and VAULT_NAMESPACE from the environment; the
  // session decides those itself (the token is passed per call, so login never carries a stray one).
  Object.assign(client, { token: '', pathPrefix: '', namespace: namespace ?? '' });
  return async (request) => {
    const body: unknown = await client.request(request);
    return body;
  };
}

/** node-vault rejects non-200/204 answers with `{ response: { statusCode, body } }` (§8.1). */
function httpStatusOf(error: unknown): { code: number; errors: string[] } | undefined {
  if (!isRecord(error) || !isRecord(error.response)) return undefined;
  const { statusCode, body } = error.response;
  if (typeof statusCode !== 'number') return undefined;
  const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors.filter(isString) : [];
  return { code: statusCode, errors };
}

/** axios errors without a response: refused, reset, DNS, TLS, timeout. Anything else is a bug. */
function connectionFailure(error: unknown): string | undefined {
  if (!isRecord(error) || error.isAxiosError !== true) return undefined;
  const code = typeof error.code === 'string' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : 'request failed';
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

const EMPTY: VaultResponse<never> = {
  request_id: '',
  lease_id: '',
  renewable: false,
  lease_duration: 0,
  data: null,
  wrap_info: null,
  warnings: null,
  auth: null,
};

/**
 * Vault's envelope with every field present: 204 answers have no body, older servers and fakes omit
 * some keys (§1.1). `data` is the caller's to interpret; the rest is checked here.
 */
function toEnvelope<D>(body: unknown, path: string): VaultResponse<D> {
  if (body === '' || body === undefined || body === null) return EMPTY;
  if (!isRecord(body)) throw new Error(`vault ${path}: the answer is not a JSON object`);
  return {
    request_id: typeof body.request_id === 'string' ? body.request_id : '',
    lease_id: typeof body.lease_id === 'string' ? body.lease_id : '',
    renewable: body.renewable === true,
    lease_duration: typeof body.lease_duration === 'number' ? body.lease_duration : 0,
    data: isRecord(body.data) ? (body.data as D) : null,
    wrap_info: isRecord(body.wrap_info) ? (body.wrap_info as unknown as VaultWrapInfo) : null,
    warnings: Array.isArray(body.warnings) ? body.warnings.filter(isString) : null,
    auth: isRecord(body.auth) ? (body.auth as unknown as VaultAuth) : null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
