import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLogger, ManualClock } from '@guise/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ROLE } from '../../src/dev/seed-vault.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import type { DialectProbe } from './dialect-probes.js';
import { DIALECT_PROBES, PROBED_DIALECTS, Prober } from './dialect-probes.js';
import { issuedSecrets, leakedSecrets } from './issued-secrets.js';

const MINUTE = 60_000;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly error?: string;
}

describe('a first login with a secret_id that is used up (no kept token to fall back on)', () => {
  it('answers every dialect with the status its clients retry, says once what to do, and serves once a fresh secret_id is delivered', async () => {
    const clock = new ManualClock();
    const seeded = await startSeededVault({ clock, secretIdUses: 1 });
    cleanup.push(() => seeded.stop());
    const workDir = await mkdtemp(path.join(tmpdir(), 'guise-login-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const secretIdFile = path.join(workDir, 'secret-id');
    const tokenFile = path.join(workDir, 'vault-token');
    // Someone (an earlier agent without a token file, a stray script) spent its one use.
    await seeded.operator.write('auth/approle/login', {
      role_id: seeded.roleId,
      secret_id: seeded.secretId,
    });
    await writeFile(secretIdFile, `${seeded.secretId}\n`, { mode: 0o600 });
    const lines: string[] = [];
    const logger = new JsonLogger({
      level: 'debug',
      write: (l) => lines.push(l),
      now: () => clock.now(),
    });
    const logins = () =>
      seeded.vault.requests.filter((r) => r.path === '/v1/auth/approle/login').length;

    const agent = await startAgentOn(seeded, DEMO_ROLE, logger, {
      clock,
      tokenFile,
      dialects: PROBED_DIALECTS,
      vault: {
        auth: {
          approle: {
            role: seeded.appRole.roleName,
            roleId: { value: seeded.roleId },
            secretId: { file: secretIdFile },
          },
        },
      },
    });
    cleanup.push(() => agent.stop());
    const prober = new Prober(agent.url);
    cleanup.push(async () => prober.close());
    const statuses = async () =>
      Promise.all(
        DIALECT_PROBES.map(async (probe: DialectProbe) => {
          const answer = await prober.ask(probe, () => clock.now());
          return { probe, answer };
        }),
      );
    const step = async () => {
      await clock.advance(MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 20));
    };

    const loginsBefore = logins();
    const bodies: string[] = [];
    let asks = 0;
    for (let minute = 0; minute < 10; minute += 1) {
      for (let i = 0; i < 5; i += 1) {
        for (const { probe, answer } of await statuses()) {
          expect(answer.status, probe.name).toBe(probe.unavailableStatus);
          bodies.push(answer.body);
          asks += 1;
        }
      }
      await step();
    }
    // Retried with backoff (a credential's or the token's), never once per client request.
    expect(logins() - loginsBefore).toBeGreaterThanOrEqual(3);
    expect(logins() - loginsBefore).toBeLessThan(asks / 4);
    const parsed = lines.map((l) => JSON.parse(l) as LogLine);
    const failing = parsed.filter((l) => l.msg === 'vault login failing');
    expect(failing).toHaveLength(1);
    expect(failing[0]?.level).toBe('warn');
    expect(failing[0]?.error).toBe(
      `approle: Vault refused the login (invalid role or secret ID): the secret_id from file ${secretIdFile} is used up, expired or revoked, or the role_id is wrong; deliver a fresh secret_id to file ${secretIdFile} (each login attempt reads it again)`,
    );

    // The operator delivers a fresh, response-wrapped secret_id, as provisioning would.
    const wrapped = await seeded.operator.write(
      `auth/approle/role/${seeded.appRole.roleName}/secret-id`,
      {},
      '5m',
    );
    await writeFile(secretIdFile, `${wrapped?.wrap_info?.token ?? ''}\n`, { mode: 0o600 });
    const served = new Set<string>();
    for (let minute = 0; minute < 3 && served.size < DIALECT_PROBES.length; minute += 1) {
      await step();
      for (const { probe, answer } of await statuses())
        if (answer.status === 200) served.add(probe.name);
    }
    expect([...served].sort()).toEqual(DIALECT_PROBES.map((p) => p.name).sort());
    expect(lines.some((l) => l.includes('"vault login recovered"'))).toBe(true);
    // Read, unwrapped, removed; the token it gave is kept (0600) for the next restart.
    expect(existsSync(secretIdFile)).toBe(false);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect(leakedSecrets([...lines, ...bodies], issuedSecrets(seeded))).toEqual([]);
  }, 30_000);
});
