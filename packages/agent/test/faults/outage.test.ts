import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLogger, ManualClock } from '@guise/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ROLE } from '../../src/dev/seed-vault.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import { depth } from '../support/test-depth.js';
import type { DialectProbe, ProbeAnswer, SeenCredential } from './dialect-probes.js';
import { DIALECT_PROBES, PROBED_DIALECTS, Prober } from './dialect-probes.js';
import { issuedSecrets, leakedSecrets } from './issued-secrets.js';
import { SCENARIO_VAULT_TIMEOUT, VAULT_FAULTS } from './vault-faults.js';

const MINUTE = 60_000;
const FAULT_FROM_MINUTE = 25;
/**
 * Long enough for every cached credential to run out: the AWS and GCP ones expire at minute 60,
 * and an Azure token exchanged (Entra is up) with the last usable principal at minute 59 at 119.
 */
const FAULT_UNTIL_MINUTE = 121;
/**
 * Backend attempts a failing source may make per minute: full-jitter backoff capped at one minute
 * averages two (and a client asking meanwhile starts none of its own).
 */
const ATTEMPTS_PER_MINUTE = 3;
/** Asks per dialect per minute of the fault: more than that, so an attempt per ask would show. */
const ASKS_PER_MINUTE = ATTEMPTS_PER_MINUTE + 1;

/**
 * Runs of each fault: backoff, refresh times and renewal are jittered, so a long run (`GUISE_LONG`)
 * goes through each fault with more draws of the dice.
 */
const RUNS_PER_FAULT = depth({ short: 1, long: 4 });
const SCENARIOS = VAULT_FAULTS.flatMap((fault) =>
  Array.from({ length: RUNS_PER_FAULT }, (_, run) => ({ fault, run: run + 1 })),
);

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly component?: string;
  readonly source?: string;
}

/** Everything a run wrote or answered, and every secret its backends issued. */
interface RunRecord {
  readonly fault: string;
  readonly texts: string[];
  readonly secrets: string[];
}
const runs: RunRecord[] = [];

describe.each(SCENARIOS)(
  'Vault $fault.name from minute 25 on, every dialect asked (run $run)',
  ({ fault }) => {
    it('serves each cached credential until just before it expires, then the status its clients retry; recovers by itself; one log line per state change', async () => {
      const clock = new ManualClock();
      const lines: string[] = [];
      const logger = new JsonLogger({
        level: 'debug',
        write: (l) => lines.push(l),
        now: () => clock.now(),
      });
      const workDir = await mkdtemp(path.join(tmpdir(), 'guise-fault-'));
      const tokenFile = path.join(workDir, 'vault-token');
      const seeded = await startSeededVault({ clock });
      await fault.prepare?.(seeded);
      const agent = await startAgentOn(seeded, DEMO_ROLE, logger, {
        clock,
        tokenFile,
        dialects: PROBED_DIALECTS,
        vault: { requestTimeout: SCENARIO_VAULT_TIMEOUT },
        extra: { metrics: { listen: '127.0.0.1:0' } },
      });
      const prober = new Prober(agent.url);
      const answers: string[] = [];
      /** The metrics and readiness pages (kept for the secrets check); failed attempts by source. */
      const scrape = async (): Promise<Map<string, number>> => {
        const [metrics = '', readiness = ''] = await Promise.all(
          ['metrics', 'readyz'].map(async (page) =>
            (await fetch(`${agent.metricsUrl}/${page}`)).text(),
          ),
        );
        answers.push(metrics, readiness);
        return failedAttempts(metrics);
      };
      const start = clock.now();
      const minute = () => (clock.now() - start) / MINUTE;
      const stepTo = async (until: number, each?: () => Promise<void>) => {
        while (minute() < until) {
          await clock.advance(Math.min(MINUTE, start + until * MINUTE - clock.now()));
          await new Promise((resolve) => setTimeout(resolve, 10)); // real I/O: backend calls finish
          await each?.();
        }
      };
      const lastSeen = new Map<DialectProbe, SeenCredential>();
      const served = new Set<string>();
      const refusals = new Map<DialectProbe, number>();
      /**
       * Asks as a client would. Time goes on while it waits: with nothing usable cached, a client
       * waits for Vault's answer, and a Vault client's retries wait on the agent's clock.
       */
      const ask = async (probe: DialectProbe): Promise<ProbeAnswer> => {
        const pending = prober.ask(probe, () => clock.now());
        const waited = () =>
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50));
        let answer = await Promise.race([pending, waited()]);
        while (!answer) {
          await clock.advance(1_000);
          answer = await Promise.race([pending, waited()]);
        }
        if (answer.credential) {
          lastSeen.set(probe, answer.credential);
          for (const secret of answer.credential.secrets) served.add(secret);
        } else answers.push(answer.body);
        return answer;
      };
      /**
       * What every answer must be, fault or not: a credential with more than the outage margin
       * left, or — only when the last one seen is within it — the dialect's retryable status.
       */
      const checkAnswer = (probe: DialectProbe, answer: ProbeAnswer, before?: SeenCredential) => {
        const context = `${probe.name} at minute ${minute()}: ${answer.status} ${answer.body.slice(0, 200)}`;
        if (answer.credential) {
          expect(answer.credential.expiresAt - clock.now(), context).toBeGreaterThan(
            probe.outageMarginMs,
          );
          return;
        }
        expect(answer.status, context).toBe(probe.unavailableStatus);
        expect((before?.expiresAt ?? 0) - clock.now(), context).toBeLessThanOrEqual(
          probe.outageMarginMs + 1_000,
        );
        refusals.set(probe, (refusals.get(probe) ?? 0) + 1);
      };

      try {
        for (const probe of DIALECT_PROBES) expect((await ask(probe)).status).toBe(200);
        await clock.advance(FAULT_FROM_MINUTE * MINUTE); // nothing is due before

        fault.begin(seeded.vault);
        const linesBefore = lines.length;
        const failedBefore = await scrape();
        await stepTo(FAULT_UNTIL_MINUTE, async () => {
          for (const probe of DIALECT_PROBES) {
            for (let i = 0; i < ASKS_PER_MINUTE; i += 1) {
              const before = lastSeen.get(probe);
              checkAnswer(probe, await ask(probe), before);
            }
          }
        });
        const duringFault = lines.slice(linesBefore).map((l) => JSON.parse(l) as LogLine);
        // The agent kept trying, with backoff rather than once per client request.
        const failed = [...(await scrape())].map(([source, n]) => ({
          source,
          n: n - (failedBefore.get(source) ?? 0),
        }));
        if (fault.outage) expect(failed.reduce((sum, f) => sum + f.n, 0)).toBeGreaterThanOrEqual(3);
        const faultMinutes = FAULT_UNTIL_MINUTE - FAULT_FROM_MINUTE;
        for (const { source, n } of failed)
          expect(n, source).toBeLessThanOrEqual(faultMinutes * ATTEMPTS_PER_MINUTE);
        for (const probe of DIALECT_PROBES) {
          expect(refusals.get(probe) ?? 0, probe.name).toSatisfy((n: number) =>
            fault.outage ? n > 0 : n === 0,
          );
        }

        fault.end(seeded.vault);
        // Recovers by itself: backoff is capped at one minute, but an attempt the fault caught has
        // to fail first, which takes real time (the slow fault's request timeout).
        const deadline = Date.now() + 15_000;
        const recovered = new Set<DialectProbe>();
        while (recovered.size < DIALECT_PROBES.length && Date.now() < deadline) {
          await stepTo(minute() + 1);
          for (const probe of DIALECT_PROBES) {
            const before = lastSeen.get(probe);
            const answer = await ask(probe);
            checkAnswer(probe, answer, before);
            if (answer.credential && answer.credential.expiresAt - clock.now() > 20 * MINUTE)
              recovered.add(probe);
          }
        }
        expect([...recovered].map((p) => p.name).sort()).toEqual(
          DIALECT_PROBES.map((p) => p.name).sort(),
        );
        await scrape();

        // One line per state change: no warning repeats while the fault lasts, and every source
        // that failed says once that it recovered.
        const warnings = duringFault.filter((l) => l.level === 'warn' || l.level === 'error');
        const keyOf = (l: LogLine) => `${l.component ?? ''} ${l.msg} ${l.source ?? ''}`;
        expect(duplicates(warnings.map(keyOf))).toEqual([]);
        // An outage is one state change per source; without one, re-logins and new leases are
        // events of their own and may repeat.
        const infos = duringFault.filter((l) => l.level === 'info');
        if (fault.outage) expect(duplicates(infos.map(keyOf))).toEqual([]);
        const parsed = lines.map((l) => JSON.parse(l) as LogLine);
        const failing = parsed.filter((l) => /^credential (refresh|fetch) failed/.test(l.msg));
        const recoveredLines = parsed.filter((l) => l.msg === 'credential source recovered');
        expect(recoveredLines.map((l) => l.source).sort()).toEqual(
          failing.map((l) => l.source).sort(),
        );

        // The persisted token: 0600, and written by rename (no temporary file left behind).
        expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
        expect(await readdir(workDir)).toEqual(['vault-token']);
        // What clients got is among what the backends say they issued: the list is complete.
        expect(issuedSecrets(seeded)).toEqual(expect.arrayContaining([...served]));
      } finally {
        prober.close();
        await agent.stop();
        runs.push({
          fault: fault.name,
          texts: [...lines, ...answers],
          secrets: issuedSecrets(seeded),
        });
        await seeded.stop();
        await rm(workDir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);

describe('secrets across every dialect and fault', () => {
  afterAll(() => {
    runs.length = 0;
  });

  it('no secret issued in any run appears in any log line, error answer, metrics or readiness page', () => {
    // Every fault's run when the whole file runs (fewer under a name filter).
    expect(runs.length).toBeGreaterThan(0);
    // A run's secrets come from its own backends: only its own output could hold them.
    for (const run of runs) {
      expect(run.secrets.length).toBeGreaterThan(10);
      const leaked = leakedSecrets(run.texts, run.secrets);
      expect(leaked.map((s) => `${run.fault}: ${s.slice(0, 12)}…`)).toEqual([]);
    }
  }, 60_000);
});

/** `guise_credential_events_total{outcome="failed"}` by source, from a Prometheus page. */
function failedAttempts(metrics: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of metrics.matchAll(
    /^guise_credential_events_total\{source="([^"]*)",outcome="failed"\} (\d+)$/gm,
  ))
    counts.set(match[1] ?? '', Number(match[2]));
  return counts;
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
