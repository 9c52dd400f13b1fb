import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { silentLogger } from '@guise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededAgent } from '../support/seeded-agent.js';
import { startSeededAgent } from '../support/seeded-agent.js';
import { FUZZ_DIALECTS } from './fuzz-dialects.js';
import { generateRequest } from './generate-request.js';
import { Random } from './random.js';
import { rawExchange } from './raw-exchange.js';

// `npm run fuzz` runs the long variant (GUISE_FUZZ_CASES, default 20,000 per dialect there);
// `npm test` runs a bounded count that takes a few seconds.
const CASES = Number(process.env['GUISE_FUZZ_CASES'] ?? 2_000);
const SEED = Number(process.env['GUISE_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const PARALLEL = 16;
/** Per request: well above any honest answer on loopback, well below the listener's timeouts. */
const MAX_MS = 2_000;
const HEADERS_TIMEOUT_S = 1;

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

let seeded: SeededAgent;
let port: number;
beforeAll(async () => {
  seeded = await startSeededAgent(silentLogger, {
    limits: { headersTimeout: HEADERS_TIMEOUT_S, maxHeaderBytes: 16 * 1024 },
  });
  port = Number(new URL(seeded.agent.url).port);
});
afterAll(() => seeded.stop());

describe.each(FUZZ_DIALECTS)('bad input, $name dialect', (dialect) => {
  it(
    `answers ${CASES} random hostile requests quickly, never with a 5xx the service would not send (seed ${SEED})`,
    async () => {
      const random = new Random(SEED);
      const findings: string[] = [];
      const statuses = new Map<string, number>();
      let heapBefore = 0;
      for (let done = 0; done < CASES; done += PARALLEL) {
        if (done >= PARALLEL * 4 && heapBefore === 0) heapBefore = heapAfterGc(); // after warm-up
        const batch = Array.from({ length: Math.min(PARALLEL, CASES - done) }, () =>
          generateRequest(random, dialect, seeded.role),
        );
        const outcomes = await Promise.all(
          batch.map((request) => rawExchange(port, [request.bytes], MAX_MS + 1_000)),
        );
        outcomes.forEach((outcome, i) => {
          const key = String(outcome.status ?? 'closed');
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const bad5xx =
            outcome.status !== undefined &&
            outcome.status >= 500 &&
            !dialect.allowed5xx.has(outcome.status);
          if (bad5xx || outcome.timedOut || outcome.ms > MAX_MS) {
            findings.push(
              `${outcome.status ?? 'no answer'} in ${outcome.ms.toFixed(0)} ms: ${batch[i]?.label}`,
            );
          }
        });
      }
      console.log(
        `fuzz ${dialect.name}: ${CASES} cases, seed ${SEED}, statuses`,
        Object.fromEntries(statuses),
      );
      expect(findings).toEqual([]);
      // No 503 either: the credential is cached, so an outage answer here would be a bug too.
      expect(statuses.get('503')).toBeUndefined();
      expect(heapAfterGc() - heapBefore).toBeLessThan(16 * 1024 * 1024);

      const credential = await fetch(
        `${seeded.agent.url}/latest/meta-data/iam/security-credentials/${seeded.role}`,
      );
      expect(credential.status).toBe(200);
      expect(JSON.parse(await credential.text())).toMatchObject({ Code: 'Success' });
    },
    10_000 + CASES * 5,
  );
});

describe('slow clients (slowloris)', () => {
  it('closes connections whose request head does not arrive within limits.headersTimeout', async () => {
    const partial = Buffer.from('GET /latest/meta-data/ HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const drip = Array.from({ length: 40 }, () => Buffer.from('a'));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => rawExchange(port, [partial, ...drip], 10_000, 200)),
    );
    for (const outcome of outcomes) {
      expect(outcome.timedOut).toBe(false);
      // headersTimeout (1 s) plus one sweep of the connection checker (at most 1 s) plus slack.
      expect(outcome.ms).toBeLessThan(HEADERS_TIMEOUT_S * 1000 + 1_800);
    }
    const listing = await fetch(`${seeded.agent.url}/latest/meta-data/`);
    expect(listing.status).toBe(200);
  }, 15_000);
});
