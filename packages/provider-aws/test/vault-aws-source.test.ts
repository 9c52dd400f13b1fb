import { describe, expect, it } from 'vitest';
import type { VaultResponse, VaultSession, VaultSessionStatus } from '@guise/core';
import { ManualClock, VaultRequestError } from '@guise/core';
import { VaultAwsSource } from '../src/index.js';

type Call =
  | { op: 'read' | 'write'; path: string; params: Record<string, unknown> | undefined }
  | { op: 'renew' | 'revoke'; leaseId: string };

/**
 * A VaultSession that answers with canned envelopes (shaped as reference/vault-api.md §1.1, §3.3)
 * and records what the source asked for: the source's contract with the session, in isolation.
 */
class ScriptedSession implements VaultSession {
  readonly calls: Call[] = [];
  /** The session's token as `status()` reports it; tests change it to imitate a re-login. */
  token: { accessor?: string; expiresAt?: number } = {};
  constructor(private readonly answers: Array<VaultResponse<Record<string, unknown>> | Error>) {}

  async start(): Promise<void> {}
  async read<D>(path: string, params?: Record<string, string>): Promise<VaultResponse<D>> {
    this.calls.push({ op: 'read', path, params });
    return this.answer<D>();
  }
  async write<D>(path: string, body?: Record<string, unknown>): Promise<VaultResponse<D>> {
    this.calls.push({ op: 'write', path, params: body });
    return this.answer<D>();
  }
  async renewLease(leaseId: string): Promise<VaultResponse<never>> {
    this.calls.push({ op: 'renew', leaseId });
    return this.answer<never>();
  }
  async revokeLease(leaseId: string): Promise<void> {
    this.calls.push({ op: 'revoke', leaseId });
  }
  status(): VaultSessionStatus {
    return {
      state: 'ready',
      address: 'http://127.0.0.1:8200',
      accessor: this.token.accessor,
      tokenExpiresAt: this.token.expiresAt,
    };
  }
  async close(): Promise<void> {}

  private answer<D>(): VaultResponse<D> {
    const next = this.answers.shift();
    if (!next) throw new Error('no scripted answer left');
    if (next instanceof Error) throw next;
    return next as VaultResponse<D>;
  }
}

function envelope(
  lease: { id?: string; renewable?: boolean; duration?: number },
  data: Record<string, unknown> | null,
): VaultResponse<Record<string, unknown>> {
  return {
    request_id: 'req-1',
    lease_id: lease.id ?? '',
    renewable: lease.renewable ?? false,
    lease_duration: lease.duration ?? 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
  };
}

const STS_DATA = {
  access_key: 'ASIAVAULTEXAMPLE',
  secret_key: 'vault-secret',
  session_token: 'vault-session-token',
  security_token: 'vault-session-token',
  arn: 'arn:aws:sts::123456789012:assumed-role/AppRole/vault-approle-app-1700000000-abc',
};

describe('VaultAwsSource', () => {
  it('POSTs aws/sts/<role> with ttl 3600 in the body and takes expiry from lease_duration', async () => {
    const clock = new ManualClock();
    const session = new ScriptedSession([
      envelope({ id: 'aws/sts/app/LEASE1', renewable: false, duration: 900 }, STS_DATA),
    ]);
    const source = new VaultAwsSource(session, { role: 'app', endpoint: 'sts' }, clock);
    const issued = await source.issue();
    expect(source.id).toBe('vault-aws:aws/sts/app');
    expect(session.calls).toEqual([{ op: 'write', path: 'aws/sts/app', params: { ttl: '3600' } }]);
    // Vault granted 900 s although 3600 were asked for: the grant is what counts.
    expect(issued).toEqual({
      value: {
        accessKeyId: 'ASIAVAULTEXAMPLE',
        secretAccessKey: 'vault-secret',
        sessionToken: 'vault-session-token',
        accountId: '123456789012',
      },
      issuedAt: clock.now(),
      expiresAt: clock.now() + 900_000,
      lease: { id: 'aws/sts/app/LEASE1', renewable: false, durationSeconds: 900 },
    });
  });

  it('takes security_token from Vault before 1.16 and ttl from no_lease roles', async () => {
    const clock = new ManualClock();
    const oldVault = {
      access_key: 'ASIAOLD',
      secret_key: 's',
      security_token: 'vault-session-token',
      ttl: 1800,
    };
    const session = new ScriptedSession([envelope({}, oldVault)]);
    const issued = await new VaultAwsSource(
      session,
      { role: 'app', endpoint: 'sts' },
      clock,
    ).issue();
    expect(issued.value.sessionToken).toBe('vault-session-token');
    expect(issued.expiresAt).toBe(clock.now() + 1_800_000);
    expect(issued.lease).toBeUndefined();
  });

  it('sends role_arn, role_session_name and a configured ttl; honours a custom mount', async () => {
    const clock = new ManualClock();
    const session = new ScriptedSession([envelope({ id: 'x', duration: 7200 }, STS_DATA)]);
    const source = new VaultAwsSource(
      session,
      {
        mount: '/team/aws/',
        role: 'deploy',
        endpoint: 'sts',
        ttlSeconds: 7200,
        roleArn: 'arn:aws:iam::123456789012:role/Deploy',
        roleSessionName: 'build-07',
      },
      clock,
    );
    await source.issue();
    expect(session.calls).toEqual([
      {
        op: 'write',
        path: 'team/aws/sts/deploy',
        params: {
          ttl: '7200',
          role_arn: 'arn:aws:iam::123456789012:role/Deploy',
          role_session_name: 'build-07',
        },
      },
    ]);
  });

  it('GETs aws/creds/<role> for IAM users, renews the renewable lease in place and revokes it', async () => {
    const clock = new ManualClock();
    const session = new ScriptedSession([
      envelope(
        { id: 'aws/creds/ci/LEASE2', renewable: true, duration: 1800 },
        { access_key: 'AKIAUSEREXAMPLE', secret_key: 'user-secret', session_token: null },
      ),
      envelope({ id: 'aws/creds/ci/LEASE2', renewable: true, duration: 1800 }, null),
    ]);
    const source = new VaultAwsSource(session, { role: 'ci', endpoint: 'creds' }, clock);
    const issued = await source.issue();
    expect(session.calls[0]).toEqual({ op: 'read', path: 'aws/creds/ci', params: {} });
    expect(issued.value).toEqual({
      accessKeyId: 'AKIAUSEREXAMPLE',
      secretAccessKey: 'user-secret',
    });
    expect(issued.lease).toEqual({
      id: 'aws/creds/ci/LEASE2',
      renewable: true,
      durationSeconds: 1800,
      endsAt: clock.now() + 1_800_000,
    });
    // A new IAM user: held back 10 s for IAM to propagate it (the broker serves it from then on).
    expect(issued.usableFrom).toBe(issued.issuedAt + 10_000);

    await clock.advance(600_000);
    const renewed = await source.renew(issued);
    expect(session.calls[1]).toEqual({ op: 'renew', leaseId: 'aws/creds/ci/LEASE2' });
    expect(renewed.value).toBe(issued.value);
    expect(renewed.expiresAt).toBe(clock.now() + 1_800_000);
    expect(renewed.usableFrom).toBeUndefined(); // the same key, long propagated

    await source.revoke(renewed);
    expect(session.calls[2]).toEqual({ op: 'revoke', leaseId: 'aws/creds/ci/LEASE2' });
  });

  it('ends IAM-user keys with the Vault token that created them, and re-issues after a re-login', async () => {
    const clock = new ManualClock();
    const userKeys = {
      access_key: 'AKIAUSEREXAMPLE',
      secret_key: 'user-secret',
      session_token: null,
    };
    const session = new ScriptedSession([
      envelope({ id: 'aws/creds/ci/L3', renewable: true, duration: 2_764_800 }, userKeys),
      envelope({ id: 'aws/creds/ci/L3', renewable: true, duration: 2_764_800 }, null),
    ]);
    session.token = { accessor: 'acc-1', expiresAt: clock.now() + 3_600_000 };
    const source = new VaultAwsSource(session, { role: 'ci', endpoint: 'creds' }, clock);

    // A 768 h lease, but Vault revokes it (and deletes the IAM user) when token acc-1 expires.
    const issued = await source.issue();
    expect(issued.expiresAt).toBe(clock.now() + 3_600_000);
    expect(issued.lease?.tokenAccessor).toBe('acc-1');

    // The token was renewed: the lease may now live as long as the renewed token.
    session.token = { accessor: 'acc-1', expiresAt: clock.now() + 7_200_000 };
    const renewed = await source.renew(issued);
    expect(renewed.expiresAt).toBe(clock.now() + 7_200_000);

    // After a re-login the old token still owns the lease: renewing it would not save it.
    session.token = { accessor: 'acc-2', expiresAt: clock.now() + 86_400_000 };
    await expect(source.renew(renewed)).rejects.toThrow(/previous Vault token/);
    expect(session.calls.filter((c) => c.op === 'renew')).toHaveLength(1);
  });

  it('leaves STS credentials their full lifetime: revoking their lease does nothing at AWS', async () => {
    const clock = new ManualClock();
    const session = new ScriptedSession([
      envelope({ id: 'aws/sts/app/L4', duration: 3600 }, STS_DATA),
    ]);
    session.token = { accessor: 'acc-1', expiresAt: clock.now() + 600_000 };
    const source = new VaultAwsSource(session, { role: 'app', endpoint: 'sts' }, clock);
    const issued = await source.issue();
    expect(issued.expiresAt).toBe(clock.now() + 3_600_000);
    expect(issued.lease?.tokenAccessor).toBeUndefined();
  });

  it('refuses to renew a lease that is not renewable (STS: the broker re-issues instead)', async () => {
    const clock = new ManualClock();
    const session = new ScriptedSession([
      envelope({ id: 'aws/sts/app/L', duration: 3600 }, STS_DATA),
    ]);
    const source = new VaultAwsSource(session, { role: 'app', endpoint: 'sts' }, clock);
    await expect(source.renew(await source.issue())).rejects.toThrow(/not renewable/);
  });

  it('falls back to one hour when AWS refuses a longer chained session, and remembers', async () => {
    const clock = new ManualClock();
    const chained = new VaultRequestError(
      400,
      [
        'Error assuming role: ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      ],
      'aws/sts/app',
    );
    const session = new ScriptedSession([
      chained,
      envelope({ id: 'a', duration: 3600 }, STS_DATA),
      envelope({ id: 'b', duration: 3600 }, STS_DATA),
    ]);
    const source = new VaultAwsSource(
      session,
      { role: 'app', endpoint: 'sts', ttlSeconds: 43200 },
      clock,
    );
    await source.issue();
    await source.issue();
    expect(session.calls.map((c) => ('params' in c ? c.params?.['ttl'] : undefined))).toEqual([
      '43200',
      '3600',
      '3600',
    ]);
  });

  it('passes other Vault errors through for the broker to handle', async () => {
    const denied = new VaultRequestError(403, ['permission denied'], 'aws/sts/app');
    const source = new VaultAwsSource(
      new ScriptedSession([denied]),
      { role: 'app', endpoint: 'sts' },
      new ManualClock(),
    );
    await expect(source.issue()).rejects.toBe(denied);
  });

  it('rejects answers without keys or without any lifetime', async () => {
    const clock = new ManualClock();
    const noKeys = new ScriptedSession([
      envelope({ id: 'l', duration: 60 }, { arn: STS_DATA.arn }),
    ]);
    await expect(
      new VaultAwsSource(noKeys, { role: 'app', endpoint: 'sts' }, clock).issue(),
    ).rejects.toThrow(/no access_key/);
    const noLifetime = new ScriptedSession([envelope({}, STS_DATA)]);
    await expect(
      new VaultAwsSource(noLifetime, { role: 'app', endpoint: 'sts' }, clock).issue(),
    ).rejects.toThrow(/neither a lease_duration nor a ttl/);
  });
});
