import { describe, expect, it } from 'vitest';
import type { CredentialSource, FreshnessPolicy, Issued } from '../src/index.js';
import {
  CredentialBroker,
  CredentialUnavailableError,
  DEFAULT_FRESHNESS,
  JsonLogger,
  ManualClock,
} from '../src/index.js';

const MIN = 60_000;

/** A backend the test controls: counts calls, can fail, can hold calls open. */
class ScriptedSource implements CredentialSource<string> {
  readonly id = 'test-source';
  calls = 0;
  renewals = 0;
  failing: Error | undefined;
  lifetimeMs = 60 * MIN;
  renewable = false;
  /** How long after issue the cloud accepts a new credential (an IAM user key propagating). */
  propagationMs = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  constructor(private readonly clock: ManualClock) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async issue(): Promise<Issued<string>> {
    this.calls += 1;
    const n = this.calls;
    await this.gate;
    if (this.failing) throw this.failing;
    const issuedAt = this.clock.now();
    return {
      value: `cred-${n}`,
      issuedAt,
      expiresAt: issuedAt + this.lifetimeMs,
      ...(this.propagationMs > 0 && { usableFrom: issuedAt + this.propagationMs }),
      lease: {
        id: `lease-${n}`,
        renewable: this.renewable,
        durationSeconds: this.lifetimeMs / 1000,
      },
    };
  }

  async renew(current: Issued<string>): Promise<Issued<string>> {
    this.renewals += 1;
    if (this.failing) throw this.failing;
    return { ...current, expiresAt: this.clock.now() + this.lifetimeMs };
  }
}

function setup(policy: Partial<FreshnessPolicy> = {}) {
  const clock = new ManualClock();
  /** The broker's log lines at info and above, as JSON text. */
  const lines: string[] = [];
  const logger = new JsonLogger({ level: 'info', write: (line) => lines.push(line) });
  const broker = new CredentialBroker(clock, { ...DEFAULT_FRESHNESS, ...policy }, logger);
  const source = new ScriptedSource(clock);
  return { clock, broker, source, lines };
}

describe('CredentialBroker', () => {
  it('collapses 100 concurrent cold requests into exactly one backend call', async () => {
    const { broker, source } = setup();
    source.hold();
    const requests = Array.from({ length: 100 }, () => broker.get(source, undefined));
    source.release();
    const results = await Promise.all(requests);
    expect(source.calls).toBe(1);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set(['cred-1']));
  });

  it('serves from cache while the credential has more than the floor left', async () => {
    const { clock, broker, source } = setup();
    await broker.get(source, undefined);
    await clock.advance(25 * MIN);
    const again = await broker.get(source, undefined);
    expect(again.value).toBe('cred-1');
    expect(source.calls).toBe(1);
  });

  it('refreshes a warmed credential ahead of the serving floor, at a jittered time, without a client waiting', async () => {
    const { clock, broker, source } = setup();
    const first = await broker.warm(source, undefined);
    // Lifetime 60 min, floor 20 min, lead 6 min (+ up to 6 min jitter): refresh at 28..34 min.
    await clock.advance(27 * MIN);
    expect(source.calls).toBe(1);
    await clock.advance(8 * MIN);
    expect(source.calls).toBe(2);
    const served = await broker.get(source, undefined);
    expect(served.value).toBe('cred-2');
    expect(served.expiresAt).toBeGreaterThan(first.expiresAt);
  });

  it('never serves a credential with less than the floor left while the backend works', async () => {
    const { clock, broker, source } = setup();
    await broker.get(source, undefined);
    for (let minute = 0; minute < 180; minute += 1) {
      await clock.advance(MIN);
      const served = await broker.get(source, undefined);
      expect(served.expiresAt - clock.now()).toBeGreaterThan(20 * MIN);
    }
  });

  it('halves the floor for credentials issued with less than twice the minimum lifetime', async () => {
    const { clock, broker, source } = setup();
    source.lifetimeMs = 15 * MIN;
    await broker.get(source, undefined);
    for (let minute = 0; minute < 60; minute += 1) {
      await clock.advance(MIN);
      const served = await broker.get(source, undefined);
      expect(served.expiresAt - clock.now()).toBeGreaterThan(7.5 * MIN);
    }
    // Refreshed every 4.5..6 minutes (floor 7.5 min + jittered lead of 1.5..3 min).
    expect(source.calls).toBeGreaterThanOrEqual(10);
    expect(source.calls).toBeLessThanOrEqual(14);
  });

  it('keeps serving the cached credential through an outage until it nears expiry, then fails', async () => {
    const { clock, broker, source } = setup();
    const first = await broker.get(source, undefined);
    source.failing = new Error('Vault is sealed');
    await clock.advance(45 * MIN); // below the floor: refresh attempts fail, cache still valid
    const during = await broker.get(source, undefined);
    expect(during.value).toBe(first.value);
    await clock.advance(14 * MIN); // 1 min left = outage margin: no longer served
    await expect(broker.get(source, undefined)).rejects.toBeInstanceOf(CredentialUnavailableError);
    await clock.advance(2 * MIN); // expired
    await expect(broker.get(source, undefined)).rejects.toThrow(/Vault is sealed/);
  });

  it('while the backend fails, answers from cache at once instead of waiting on a retry in flight', async () => {
    const { clock, broker, source } = setup();
    const first = await broker.warm(source, undefined);
    source.failing = new Error('Vault is sealed');
    await clock.advance(45 * MIN); // refreshes failed; the credential is below the floor
    // The next retry hangs (a Vault client retrying, a slow node): a client asking meanwhile must
    // not wait for it — botocore gives IMDS one second.
    source.hold();
    const callsBefore = source.calls;
    await clock.advance(2 * MIN);
    expect(source.calls).toBeGreaterThan(callsBefore);
    let answered: string | undefined;
    void broker.get(source, undefined).then((issued) => (answered = issued.value));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(first.value);
    // Once the cache is too near expiry, the client gets the error at once, not after the retry.
    await clock.advance(12.5 * MIN);
    let refused: unknown;
    void broker.get(source, undefined).catch((error: unknown) => (refused = error));
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toBeInstanceOf(CredentialUnavailableError);
    source.release();
  });

  it('serves the still-usable cached credential when a due replacement is slow, and takes the replacement once it comes', async () => {
    const { clock, broker, source } = setup({ clientWaitMs: 50 });
    const first = await broker.get(source, undefined); // not warmed: no refresh ahead
    await clock.advance(45 * MIN); // below the floor, nobody asked: nothing was refreshed
    // The backend hangs (a Vault that answers only after its timeout): not known to fail yet.
    source.hold();
    const started = performance.now();
    const served = await broker.get(source, undefined);
    expect(served.value).toBe(first.value);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    // Once one client has waited its fill on this attempt, the next ones do not wait at all.
    let answered: string | undefined;
    void broker.get(source, undefined).then((issued) => (answered = issued.value));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(first.value);
    expect(source.calls).toBe(2);
    source.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await broker.get(source, undefined)).value).toBe('cred-2');
    expect(source.calls).toBe(2);
  });

  it('holds a credential the cloud does not accept yet back: the one it replaces meanwhile, the error at once when there is none', async () => {
    const { clock, broker, source } = setup();
    source.propagationMs = 10_000;
    // Warming waits for it: the agent is ready once it can serve.
    const warming = broker.warm(source, undefined);
    let warmed: string | undefined;
    void warming.then((issued) => (warmed = issued.value));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warmed).toBeUndefined();
    // A client asking meanwhile gets the retryable error at once, and no second key is made.
    await expect(broker.get(source, undefined)).rejects.toThrow(/accepted from/);
    await clock.advance(9_999);
    await expect(broker.get(source, undefined)).rejects.toBeInstanceOf(CredentialUnavailableError);
    await clock.advance(1);
    expect(warmed).toBe('cred-1');
    expect((await broker.get(source, undefined)).value).toBe('cred-1');
    expect(source.calls).toBe(1);

    // Its replacement, made ahead of the floor, waits too; the first one is served meanwhile.
    while (source.calls < 2) await clock.advance(1_000);
    expect((await broker.get(source, undefined)).value).toBe('cred-1');
    await clock.advance(10_000);
    expect((await broker.get(source, undefined)).value).toBe('cred-2');
    expect(source.calls).toBe(2);
  });

  it('backs off while the backend fails instead of calling it once per request', async () => {
    const { clock, broker, source } = setup();
    source.failing = new Error('connection refused');
    await expect(broker.get(source, undefined)).rejects.toThrow(/connection refused/);
    const afterFirst = source.calls;
    for (let i = 0; i < 50; i += 1) await expect(broker.get(source, undefined)).rejects.toThrow();
    expect(source.calls).toBe(afterFirst);
    // Over ten minutes, capped exponential backoff with full jitter (ceilings 1 s .. 60 s) makes
    // a bounded number of attempts.
    await clock.advance(10 * MIN);
    expect(source.calls).toBeGreaterThan(afterFirst);
    expect(source.calls).toBeLessThan(afterFirst + 60); // ~25 expected; 600 without growth
  });

  it('logs a failing source once and its recovery once, however often a dropped slot is asked for again', async () => {
    const { clock, broker, source, lines } = setup();
    source.renewable = true;
    await broker.get(source, undefined); // asked for only now and then, as an Azure principal
    source.failing = new Error('Vault is sealed');
    for (let minute = 0; minute < 120; minute += 5) {
      await clock.advance(5 * MIN);
      await broker.get(source, undefined).catch(() => undefined);
    }
    source.failing = undefined;
    await clock.advance(5 * MIN);
    await broker.get(source, undefined);
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(source.calls).toBeGreaterThan(10);
    expect(messages).toEqual([
      'lease renewal failed; issuing a new credential',
      'credential refresh failed; serving cached credential while valid',
      'credential source recovered',
    ]);
  });

  it('says there is nothing cached when the first fetch fails, rather than promising a cached one', async () => {
    const { broker, source, lines } = setup();
    source.failing = new Error('Vault is sealed');
    await expect(broker.get(source, undefined)).rejects.toThrow();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'credential fetch failed; nothing cached, clients get an error meanwhile',
        source: source.id,
        error: 'Vault is sealed',
      }),
    ]);
    await broker.shutdown();
  });

  it.each([
    [
      'an expiry already past',
      -1_000,
      'the source issued a credential that expired at 2025-12-31T23:59:59.000Z',
    ],
    [
      'no valid expiry',
      Number.NaN,
      'the source issued a credential that has no valid expiry (NaN)',
    ],
  ])(
    'never serves a freshly issued credential with %s: the attempt fails',
    async (_, offset, message) => {
      const { clock, broker, lines } = setup();
      const stale: CredentialSource<string> = {
        id: 'stale',
        issue: async () => ({ value: 'v', issuedAt: clock.now(), expiresAt: clock.now() + offset }),
      };
      await expect(broker.get(stale, undefined)).rejects.toMatchObject({
        name: 'CredentialUnavailableError',
        cause: expect.objectContaining({ message }),
      });
      expect(lines.join('\n')).toContain(message);
    },
  );

  it('recovers by itself when the backend comes back', async () => {
    const { clock, broker, source } = setup();
    await broker.warm(source, undefined);
    source.failing = new Error('down');
    await clock.advance(50 * MIN);
    source.failing = undefined;
    await clock.advance(2 * MIN); // next backoff attempt succeeds
    const served = await broker.get(source, undefined);
    expect(served.value).not.toBe('cred-1');
    expect(served.expiresAt - clock.now()).toBeGreaterThan(50 * MIN);
  });

  it('renews a renewable lease in place instead of issuing a new secret', async () => {
    const { clock, broker, source } = setup();
    source.renewable = true;
    await broker.warm(source, undefined);
    await clock.advance(40 * MIN);
    const served = await broker.get(source, undefined);
    expect(source.renewals).toBeGreaterThanOrEqual(1);
    expect(source.calls).toBe(1);
    expect(served.value).toBe('cred-1');
    expect(served.expiresAt - clock.now()).toBeGreaterThan(40 * MIN);
  });

  it('issues a new credential when renewal no longer extends the lease', async () => {
    const { clock, broker, source } = setup();
    source.renewable = true;
    source.renew = async (current) => {
      source.renewals += 1;
      return current; // max TTL reached: expiry unchanged
    };
    await broker.warm(source, undefined);
    await clock.advance(40 * MIN);
    expect(source.renewals).toBe(1);
    expect(source.calls).toBe(2);
    expect((await broker.get(source, undefined)).value).toBe('cred-2');
  });

  /**
   * `source`'s credentials die with a Vault token that expires at minute 60 and is renewed only at
   * minute 40 (2/3 of its TTL): until then, a renewed lease is cut at minute 60 exactly as a new
   * credential would be, while the lease itself lives on.
   */
  function cutByVaultToken(clock: ManualClock, source: ScriptedSource): void {
    source.renewable = true;
    let tokenExpiresAt = clock.now() + 60 * MIN;
    clock.schedule(() => (tokenExpiresAt += 60 * MIN), 40 * MIN);
    const cut = (issued: Issued<string>): Issued<string> => ({
      ...issued,
      expiresAt: Math.min(issued.expiresAt, tokenExpiresAt),
      lease: { id: 'lease-1', renewable: true, durationSeconds: 3600, endsAt: issued.expiresAt },
    });
    const issue = source.issue.bind(source);
    source.issue = async () => cut(await issue());
    source.renew = async (current) => {
      source.renewals += 1;
      const renewedAt = clock.now();
      return cut({ ...current, issuedAt: renewedAt, expiresAt: renewedAt + 60 * MIN });
    };
  }

  it('renews a lease the Vault token cuts short rather than issuing anew', async () => {
    const { clock, broker, source } = setup();
    cutByVaultToken(clock, source);
    await broker.warm(source, undefined);
    await clock.advance(80 * MIN);
    expect(source.renewals).toBeGreaterThanOrEqual(2);
    expect(source.calls).toBe(1);
    const served = await broker.get(source, undefined);
    expect(served.value).toBe('cred-1');
    expect(served.expiresAt - clock.now()).toBeGreaterThan(20 * MIN);
  });

  it('keeps a lease the Vault token cuts short while the lease lives, for a client coming back', async () => {
    const { clock, broker, source } = setup();
    cutByVaultToken(clock, source);
    await broker.get(source, undefined);
    await clock.advance(25 * MIN);
    await broker.get(source, undefined); // asked: renewed at its refresh time, cut at minute 60
    await clock.advance(40 * MIN); // not asked since; the cut expiry has passed
    const served = await broker.get(source, undefined);
    expect(served.value).toBe('cred-1');
    expect(source.calls).toBe(1);
    expect(served.expiresAt - clock.now()).toBeGreaterThan(20 * MIN);
  });

  it('forgets request-keyed credentials nobody asked for during their lifetime', async () => {
    const { clock, broker } = setup();
    const perAudience: CredentialSource<string, string> = {
      id: 'oidc',
      keyOf: (audience) => audience,
      issue: async (audience) => ({
        value: audience,
        issuedAt: clock.now(),
        expiresAt: clock.now() + 60 * MIN,
      }),
    };
    for (let i = 0; i < 20; i += 1) await broker.get(perAudience, `aud-${i}`);
    expect(broker.snapshot()).toHaveLength(20);
    await clock.advance(40 * MIN); // past the refresh point: kept (still servable), not refreshed
    expect(broker.snapshot()).toHaveLength(20);
    await clock.advance(20 * MIN); // within the outage margin of expiry: forgotten
    expect(broker.snapshot()).toHaveLength(0);
    expect(clock.pendingTasks).toBe(0);
  });

  it('shows in its snapshot until when each credential is still served: the outage margin, or a higher floor asked for', async () => {
    const { broker, clock, source } = setup({ outageMarginMs: MIN });
    const plain = await broker.get(source, undefined);
    const floored: CredentialSource<string> = { id: 'floored', issue: () => source.issue() };
    const strict = await broker.get(floored, undefined, { minRemainingMs: 5 * MIN });
    expect(broker.snapshot()).toEqual([
      {
        label: source.id,
        issuedAt: plain.issuedAt,
        expiresAt: plain.expiresAt,
        usableUntil: plain.expiresAt - MIN,
        healthy: true,
      },
      {
        label: 'floored',
        issuedAt: strict.issuedAt,
        expiresAt: strict.expiresAt,
        usableUntil: strict.expiresAt - 5 * MIN,
        healthy: true,
      },
    ]);
    await clock.advance(56 * MIN); // 4 minutes left: within the higher floor, not the margin
    expect(broker.snapshot().map((c) => c.usableUntil > clock.now())).toEqual([true, false]);
  });

  it('keeps separate credentials per request key', async () => {
    const { broker, clock } = setup();
    const perScope: CredentialSource<string, string> = {
      id: 'scoped',
      keyOf: (scope) => scope,
      issue: async (scope) => ({
        value: `token-for-${scope}`,
        issuedAt: clock.now(),
        expiresAt: clock.now() + 60 * MIN,
      }),
    };
    const [a, b] = await Promise.all([broker.get(perScope, 'a'), broker.get(perScope, 'b')]);
    expect([a.value, b.value]).toEqual(['token-for-a', 'token-for-b']);
  });

  it('revokes leases on shutdown only when the policy says so, and stops its timers', async () => {
    const revoked: string[] = [];
    for (const revokeOnShutdown of [false, true]) {
      const { clock, broker, source } = setup({ revokeOnShutdown });
      const withRevoke = Object.assign(source, {
        revoke: async (c: Issued<string>) =>
          void revoked.push(`${revokeOnShutdown}:${c.lease?.id}`),
      });
      await broker.warm(withRevoke, undefined);
      await broker.shutdown();
      expect(clock.pendingTasks).toBe(0);
      await expect(broker.get(source, undefined)).rejects.toBeInstanceOf(
        CredentialUnavailableError,
      );
    }
    expect(revoked).toEqual(['true:lease-1']);
  });
});
