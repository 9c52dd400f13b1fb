import { readdir, readFile, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLogger, ManualClock } from '@guise/core';
import { describe, expect, it } from 'vitest';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import { VAULT_FAULTS } from './vault-faults.js';

const MINUTE = 60_000;
const ROLE = 'guise-demo';

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly time: string;
}

describe.each(VAULT_FAULTS)('Vault $name from minute 25 to 59.5 of a 1 h credential', (fault) => {
  it('serves the cached credential until just before it expires, then 503; recovers by itself; one log line per state change; no secret in any line', async () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const logger = new JsonLogger({
      level: 'info',
      write: (l) => lines.push(l),
      now: () => clock.now(),
    });
    const workDir = await mkdtemp(path.join(tmpdir(), 'guise-fault-'));
    const tokenFile = path.join(workDir, 'vault-token');
    const seeded = await startSeededVault({ clock });
    const agent = await startAgentOn(seeded, ROLE, logger, { clock, tokenFile });
    const url = `${agent.url}/latest/meta-data/iam/security-credentials/${ROLE}`;
    const issueAttempts = () =>
      seeded.vault.requests.filter((r) => r.path === `/v1/aws/sts/${ROLE}`).length;
    const ask = async () => {
      const response = await fetch(url);
      const body = await response.text();
      return {
        status: response.status,
        credential: body ? (JSON.parse(body) as Record<string, string>) : undefined,
      };
    };
    const stepTo = async (minute: number, each?: () => Promise<void>) => {
      while (clock.now() - start < minute * MINUTE) {
        await clock.advance(Math.min(MINUTE, start + minute * MINUTE - clock.now()));
        await new Promise((resolve) => setTimeout(resolve, 20)); // real I/O: Vault calls finish
        await each?.();
      }
    };
    const start = clock.now();
    try {
      const first = await ask();
      expect(first.status).toBe(200);
      const firstKey = first.credential?.['AccessKeyId'];

      await stepTo(25);
      fault.begin(seeded.vault);
      const linesBefore = lines.length;
      const attemptsBefore = issueAttempts();
      let clientRequests = 0;
      await stepTo(58, async () => {
        for (let i = 0; i < 10; i += 1) {
          const answer = await ask();
          clientRequests += 1;
          expect(answer.status).toBe(200);
          expect(answer.credential?.['AccessKeyId']).toBe(firstKey);
          expect(Date.parse(answer.credential?.['Expiration'] ?? '') - clock.now()).toBeGreaterThan(
            MINUTE - 1_000,
          );
        }
      });
      await stepTo(59.5);
      expect((await ask()).status).toBe(503); // what both SDKs retry; never a dying credential

      const attempts = issueAttempts() - attemptsBefore;
      expect(attempts).toBeGreaterThanOrEqual(5); // it kept trying ...
      // ... with backoff, not per request: 33 min of outage, the broker's backoff capped at 60 s,
      // each attempt being a few Vault requests of the client's own retries.
      expect(attempts).toBeLessThan(clientRequests / 2);
      const duringOutage = lines.slice(linesBefore).map((l) => JSON.parse(l) as LogLine);
      const warnings = duringOutage.filter((l) => l.level === 'warn' || l.level === 'error');
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(4);
      expect(warnings.filter((l) => l.msg.startsWith('credential refresh failed'))).toHaveLength(1);

      fault.end(seeded.vault);
      await stepTo(61.5);
      const recovered = await ask();
      expect(recovered.status).toBe(200);
      expect(recovered.credential?.['AccessKeyId']).not.toBe(firstKey);
      expect(Date.parse(recovered.credential?.['Expiration'] ?? '') - clock.now()).toBeGreaterThan(
        20 * MINUTE,
      );
      const parsed = lines.map((l) => JSON.parse(l) as LogLine);
      expect(parsed.filter((l) => l.msg === 'credential source recovered')).toHaveLength(1);

      // Secrets: everything Vault and STS issued, and what the agent logged in with.
      const secrets = [
        seeded.secretId,
        seeded.vault.rootToken,
        ...((await readFile(tokenFile, 'utf8')).match(/hv[sb]\.[A-Za-z0-9_.-]+/g) ?? []),
        ...seeded.vault.aws.credentials().flatMap((c) => [c.secretAccessKey, c.sessionToken ?? '']),
      ].filter((s) => s.length >= 8);
      expect(secrets.length).toBeGreaterThan(4);
      const logged = lines.join('\n');
      for (const secret of secrets) expect(logged).not.toContain(secret);
      // The persisted token: 0600, and written by rename (no temporary file left behind).
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
      expect(await readdir(workDir)).toEqual(['vault-token']);
    } finally {
      await agent.stop();
      await seeded.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  }, 30_000);
});
