import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeVault } from '@guise/testkit';
import nodeVault from 'node-vault';
import { vi } from 'vitest';
import { JsonLogger, ManualClock, NodeVaultSession } from '../src/index.js';
import type { SecretInputConfig, VaultSessionConfig } from '../src/index.js';

export type FakeVault = Awaited<ReturnType<typeof startFakeVault>>;

/** Role settings an operator would choose; seconds. */
export interface RoleOptions {
  readonly tokenTtl?: number;
  readonly tokenMaxTtl?: number;
}

/**
 * A fake Vault set up over its HTTP API exactly as an operator would (AppRole enabled, a policy, a
 * role, a KV v2 secret to read), a ManualClock shared with it, a scratch directory and a log sink
 * that goes through the real redacting JsonLogger.
 */
export class VaultWorld {
  readonly logs: string[] = [];
  readonly logger = new JsonLogger({ level: 'debug', write: (line) => this.logs.push(line) });
  private readonly sessions: NodeVaultSession[] = [];
  private readonly cleanups: Array<() => Promise<void> | void> = [];

  private constructor(
    readonly clock: ManualClock,
    readonly vault: FakeVault,
    readonly dir: string,
    readonly roleId: string,
  ) {}

  static async create(role: RoleOptions = {}): Promise<VaultWorld> {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const vault = await startFakeVault({ now: () => clock.now() });
    const admin = adminOf(vault);
    await admin.write('sys/auth/approle', { type: 'approle' });
    await admin.write('sys/mounts/aws', { type: 'aws' });
    await admin.write('aws/roles/legacy', {
      credential_type: 'iam_user',
      policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    await admin.write('sys/policies/acl/app', {
      policy: [
        'path "secret/data/app" { capabilities = ["read"] }',
        'path "aws/creds/legacy" { capabilities = ["read"] }',
        // the default policy allows sys/leases/renew, not revoke
        'path "sys/leases/revoke" { capabilities = ["update"] }',
      ].join('\n'),
    });
    await admin.write('auth/approle/role/app', {
      token_ttl: role.tokenTtl ?? 60,
      token_max_ttl: role.tokenMaxTtl ?? 3600,
      token_policies: ['app'],
    });
    await admin.write('auth/approle/role/other', { token_policies: ['default'] });
    await admin.write('secret/data/app', { data: { greeting: 'hello' } });
    const roleId = (
      (await admin.read('auth/approle/role/app/role-id')) as { data: { role_id: string } }
    ).data.role_id;
    const dir = await mkdtemp(join(tmpdir(), 'guise-vault-'));
    return new VaultWorld(clock, vault, dir, roleId);
  }

  get admin(): nodeVault.client {
    return adminOf(this.vault);
  }

  async secretId(role = 'app'): Promise<string> {
    const answer = (await this.admin.write(`auth/approle/role/${role}/secret-id`, {})) as {
      data: { secret_id: string };
    };
    return answer.data.secret_id;
  }

  /** A secret_id response-wrapped by Vault (`X-Vault-Wrap-TTL`), as vAuth delivers it (§2.3, §9). */
  async wrappedSecretId(role = 'app'): Promise<string> {
    const answer = (await this.admin.write(
      `auth/approle/role/${role}/secret-id`,
      {},
      { headers: { 'X-Vault-Wrap-TTL': '5m' } },
    )) as { wrap_info: { token: string } };
    return answer.wrap_info.token;
  }

  /** AppRole config with the role_id given literally and the secret_id from `secretId`. */
  appRoleConfig(
    secretId: SecretInputConfig,
    overrides: Partial<VaultSessionConfig> = {},
  ): VaultSessionConfig {
    return {
      addresses: [this.vault.url],
      auth: { method: 'approle', roleId: { value: this.roleId }, secretId, roleName: 'app' },
      renew: { jitter: 0 },
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      ...overrides,
    };
  }

  session(config: VaultSessionConfig): NodeVaultSession {
    const session = new NodeVaultSession(config, this.clock, this.logger);
    this.sessions.push(session);
    return session;
  }

  /** Requests the fake saw for `method` on `path` (under /v1/, no query). */
  count(method: string, path: string): number {
    return this.vault.requests.filter(
      (r) => r.method === method && normalise(r.path) === normalise(path),
    ).length;
  }

  /** Runs `work` while moving the clock in `stepMs` steps, so backoff sleeps on it elapse. */
  async drive<T>(work: Promise<T>, stepMs = 100): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    while (!settled) {
      await this.clock.advance(stepMs);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return watched;
  }

  /** Moves the clock, then waits (real time) until `expectation` holds. */
  async advanceAndWait(ms: number, expectation: () => void): Promise<void> {
    await this.clock.advance(ms);
    await vi.waitFor(expectation, { timeout: 2000, interval: 5 });
  }

  onStop(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async stop(): Promise<void> {
    for (const session of this.sessions) await session.close();
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    await this.vault.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Every log line as text: for "no secret ever appears" checks. */
  get logText(): string {
    return this.logs.join('\n');
  }

  messages(): string[] {
    return this.logs.map((line) => (JSON.parse(line) as { msg: string }).msg);
  }
}

export function adminOf(vault: FakeVault): nodeVault.client {
  return nodeVault({ endpoint: vault.url, token: vault.rootToken });
}

function normalise(path: string): string {
  return path.replace(/\?.*$/, '').replace(/^\/?(v1\/)?/, '');
}

/** A loopback port with nothing listening: connection refused. */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface ProxyOptions {
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { key: string; cert: string };
  /** Rewrite JSON answers on their way back (to play an older or odder Vault). */
  readonly rewrite?: (answer: Record<string, unknown>) => Record<string, unknown>;
}

/** A loopback proxy in front of `target` that records what clients send. */
export async function recordingProxy(
  target: string,
  options: ProxyOptions = {},
): Promise<{ url: string; seen: RecordedRequest[]; close(): Promise<void> }> {
  const seen: RecordedRequest[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: body.toString(),
      });
      const upstream = http.request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            let text = Buffer.concat(parts).toString();
            if (options.rewrite && text.startsWith('{')) {
              text = JSON.stringify(options.rewrite(JSON.parse(text) as Record<string, unknown>));
            }
            const headers = {
              ...answer.headers,
              'content-length': String(Buffer.byteLength(text)),
            };
            delete headers['transfer-encoding'];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(text);
          });
        },
      );
      upstream.end(body);
    });
  };
  const server = options.tls
    ? https.createServer(options.tls, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A throwaway CA and a certificate for 127.0.0.1 signed by it (openssl), in `dir`. */
export function testCertificates(dir: string): { caFile: string; key: string; cert: string } {
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=guise test CA',
  );
  openssl(
    'req',
    ...ec,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '1',
    '-extfile',
    file('san.ext'),
  );
  return {
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
  };
}

/** A loopback TCP server that accepts and immediately resets every connection, counting them. */
export async function resettingServer(): Promise<{
  url: string;
  connections(): number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
