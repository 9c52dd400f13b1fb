import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { silentLogger } from '@guise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCloudSections } from '../../src/dev/dev-cloud-sections.js';
import { DEMO_ROLE } from '../../src/dev/seed-vault.js';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import type { SeededVault } from '../support/seeded-agent.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import { depth } from '../support/test-depth.js';
import type { FuzzDialect } from './fuzz-dialects.js';
import { fuzzDialects } from './fuzz-dialects.js';
import type { FuzzRequest } from './generate-request.js';
import { generateRequest } from './generate-request.js';
import { Random } from './random.js';
import type { RawOutcome } from './raw-exchange.js';
import { rawExchange } from './raw-exchange.js';

// Per dialect: `npm test` runs a count that takes seconds, `npm run test:long` a deeper one.
const CASES = depth({ short: 1_500, long: 20_000 });
const SEED = Number(process.env['GUISE_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const PARALLEL = 16;
/**
 * Memory is compared between the middle and the end of a run: the first half fills what a first
 * request fills (compiled code, pools, caches), so growth in the second half is a leak. The noise
 * seen is under 1 MiB: the long run catches a leak of 420 bytes per request, the short one 6 KiB.
 */
const WARM_UP = CASES / 2;
const MAX_GROWTH = 4 * 2 ** 20;
/** Per request: well above any honest answer on loopback, well below the listener's timeouts. */
const MAX_MS = 2_000;
const HEADERS_TIMEOUT_S = 1;
const APP_SERVICE_SECRET = 'fuzz-identity-header-secret';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/**
 * The heap of this process, where the agent runs, after a collection. Not `external`: the
 * megabyte bodies the fuzz sends make it swing by ±10 MiB with the timing of their release.
 */
function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

let seeded: SeededVault;
let agent: RunningAgent;
beforeAll(async () => {
  seeded = await startSeededVault();
  const { azure } = devCloudSections(seeded, {
    appService: { listen: '127.0.0.1:0', secret: APP_SERVICE_SECRET },
  });
  agent = await startAgentOn(seeded, DEMO_ROLE, silentLogger, {
    dialects: ['aws', 'gcp', 'azure'],
    extra: {
      limits: { headersTimeout: HEADERS_TIMEOUT_S, maxHeaderBytes: 16 * 1024 },
      // IMDS's 20 identity requests a second would answer most fuzz requests 429 before they
      // reach the token path; the throttle has tests of its own.
      azure: { ...azure, identityRequestsPerSecond: 1_000_000 },
    },
  });
});
afterAll(async () => {
  await agent.stop();
  await seeded.stop();
});

function urlOf(dialect: FuzzDialect): URL {
  return new URL(dialect.sideListener ? (agent.sideUrls[dialect.sideListener] ?? '') : agent.url);
}

/** What came back for a dialect's cases: statuses counted, and every case that is a finding. */
class Tally {
  readonly statuses = new Map<string, number>();
  readonly findings: string[] = [];
  cases = 0;

  add(request: FuzzRequest, outcome: RawOutcome): void {
    this.cases += 1;
    const key = String(outcome.status ?? 'closed');
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    const serverError = outcome.status !== undefined && outcome.status >= 500;
    if (serverError || outcome.timedOut || outcome.ms > MAX_MS) {
      this.findings.push(
        `${outcome.status ?? 'no answer'} in ${outcome.ms.toFixed(0)} ms: ${request.label}`,
      );
    }
  }
}

/** Sends `count` requests from `next`, `PARALLEL` at a time, into `tally` (nothing else is kept). */
async function exchange(port: number, count: number, next: () => FuzzRequest, tally: Tally) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      const request = next();
      tally.add(request, await rawExchange(port, [request.bytes], MAX_MS + 1_000));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

describe('bad input to an agent serving every dialect', () => {
  const dialects = () =>
    fuzzDialects({
      awsRole: DEMO_ROLE,
      gcpEmail: seeded.gcp.email,
      azureClientId: seeded.azure.userClientId,
      appServiceSecret: APP_SERVICE_SECRET,
    });

  it.each(['aws', 'gcp', 'azure', 'azure-app-service'])(
    `%s: ${CASES} random hostile requests are answered quickly, never with a 5xx (seed ${SEED})`,
    async (name) => {
      const dialect = dialects().find((d) => d.name === name);
      if (!dialect) throw new Error(`no fuzz dialect ${name}`);
      const url = urlOf(dialect);
      const port = Number(url.port);
      const random = new Random(SEED);
      const next = () => generateRequest(random, dialect);
      const tally = new Tally();

      await exchange(port, WARM_UP, next, tally);
      const heapBefore = heapAfterGc();
      await exchange(port, CASES - WARM_UP, next, tally);
      const heapGrowth = heapAfterGc() - heapBefore;

      const growth = `${heapGrowth >= 0 ? '+' : ''}${(heapGrowth / 2 ** 20).toFixed(1)} MiB`;
      console.log(
        `fuzz ${name}: ${tally.cases} cases, seed ${SEED}, heap ${growth} over the second half, statuses`,
        Object.fromEntries([...tally.statuses].sort()),
      );
      expect(tally.findings).toEqual([]);
      expect(tally.cases).toBe(CASES);
      expect(heapGrowth).toBeLessThan(MAX_GROWTH);

      // Still serving: the dialect's credential, whole.
      const answer = await fetch(new URL(dialect.credential.path, url), {
        headers: dialect.required,
      });
      expect(answer.status).toBe(200);
      const credential = (await answer.json()) as Record<string, unknown>;
      expect(credential[dialect.credential.key]).toMatch(/^\S{20,}$/);
    },
    20_000 + CASES * 5,
  );
});

describe('slow and oversized requests', () => {
  const port = () => Number(new URL(agent.url).port);
  const TOKEN_PUT =
    'PUT /latest/api/token HTTP/1.1\r\nHost: x\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n';

  it('closes connections whose request head does not arrive within limits.headersTimeout', async () => {
    const partial = Buffer.from('GET /latest/meta-data/ HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const drip = Array.from({ length: 40 }, () => Buffer.from('a'));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => rawExchange(port(), [partial, ...drip], 10_000, 200)),
    );
    for (const outcome of outcomes) {
      expect(outcome.timedOut).toBe(false);
      // headersTimeout (1 s) plus one sweep of the connection checker (at most 1 s) plus slack.
      expect(outcome.ms).toBeLessThan(HEADERS_TIMEOUT_S * 1000 + 1_800);
    }
    const listing = await fetch(`${agent.url}/latest/meta-data/`);
    expect(listing.status).toBe(200);
  }, 15_000);

  // AWS answers `Connection: close` to everything, as IMDS does; GCE and Azure keep connections
  // alive, so they are the ones that would drain a body.
  it('answers a request whose body drips in, then closes the connection instead of draining it', async () => {
    const head = Buffer.from(
      'GET /metadata/instance/compute/location?api-version=2021-02-01&format=text HTTP/1.1\r\n' +
        'Host: x\r\nMetadata: true\r\nContent-Length: 1000\r\n\r\n',
    );
    const drip = Array.from({ length: 40 }, () => Buffer.from('b'));
    const outcome = await rawExchange(port(), [head, ...drip], 10_000, 100);
    // Kept alive, the connection would wait for the body's 1,000 bytes until requestTimeout.
    expect(outcome).toMatchObject({ status: 200, timedOut: false });
    expect(outcome.ms).toBeLessThan(1_000);
  });

  it('answers 413 at once to a request announcing a 100 MB body, before reading any of it', async () => {
    const announced = await rawExchange(
      port(),
      [Buffer.from(`${TOKEN_PUT}Content-Length: ${100 * 2 ** 20}\r\n\r\nb`)],
      10_000,
    );
    expect(announced).toMatchObject({ status: 413, timedOut: false });
    expect(announced.ms).toBeLessThan(1_000);
  });

  it('answers a request with a chunked 100 MB body and cuts the body off', async () => {
    const head = Buffer.from(
      'GET /computeMetadata/v1/instance/service-accounts/default/token HTTP/1.1\r\n' +
        'Host: x\r\nMetadata-Flavor: Google\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const mebibyte = Buffer.concat([
      Buffer.from(`${(2 ** 20).toString(16)}\r\n`),
      Buffer.alloc(2 ** 20, 'b'),
      Buffer.from('\r\n'),
    ]);
    const chunked = await rawExchange(port(), [head, ...Array<Buffer>(100).fill(mebibyte)], 10_000);
    // Drained instead, the connection would then idle for keepAliveTimeout (5 s).
    expect(chunked).toMatchObject({ status: 200, timedOut: false });
    expect(chunked.ms).toBeLessThan(2_000);
  });
});
