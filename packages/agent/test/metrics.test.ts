import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {
  CredentialBroker,
  DEFAULT_FRESHNESS,
  fromCallback,
  JsonLogger,
  ManualClock,
  silentLogger,
} from '@guise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../src/compose/start-agent.js';
import { parseConfig } from '../src/config/load-config.js';
import { DEMO_ROLE } from '../src/dev/seed-vault.js';
import type { SeededVault } from './support/seeded-agent.js';
import { startSeededVault } from './support/seeded-agent.js';
import { resolveLogFormat } from '../src/observe/agent-logger.js';
import { AgentMetrics } from '../src/observe/agent-metrics.js';
import { startMetricsServer } from '../src/observe/metrics-server.js';
import { runGuise } from './support/guise-process.js';

/** The value of one sample line `name{labels} value` in Prometheus text, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** A config file naming a running agent's listeners, as `guise ready` reads it. */
function readyConfig(url: string, metricsUrl: string): string {
  const hostPort = (u: string) => new URL(u).host;
  return [
    `listen: ${hostPort(url)}`,
    `metrics: { listen: ${hostPort(metricsUrl)} }`,
    'vault: { address: http://127.0.0.1:1, auth: { token: { file: /nonexistent } } }',
    'aws: { role: { name: app } }',
    '',
  ].join('\n');
}

describe('metrics, /healthz, /readyz and guise ready', () => {
  let seeded: SeededVault;

  beforeAll(async () => {
    seeded = await startSeededVault();
  });
  afterAll(() => seeded?.stop());

  it('counts requests and credential events, shows time to expiry, and is ready', async () => {
    const agent = await startAgent(
      parseConfig({
        listen: '127.0.0.1:0',
        metrics: { listen: '127.0.0.1:0' },
        vault: {
          address: seeded.vault.url,
          auth: {
            approle: {
              role: DEMO_ROLE,
              roleId: { file: seeded.files.roleIdFile },
              secretId: { file: seeded.files.secretIdFile },
            },
          },
        },
        aws: { role: { name: DEMO_ROLE } },
      }),
      { logger: silentLogger },
    );
    try {
      await agent.ready;
      const metricsUrl = agent.metricsUrl ?? '';
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const credentials = `${agent.url}/latest/meta-data/iam/security-credentials/${DEMO_ROLE}`;
      expect((await fetch(credentials)).status).toBe(200);
      expect((await fetch(credentials)).status).toBe(200);
      expect((await fetch(`${agent.url}/latest/meta-data/no-such-leaf`)).status).toBe(404);
      expect((await fetch(`${agent.url}/latest/api/token`, { method: 'PUT' })).status).toBe(400);

      const scrape = await fetch(`${metricsUrl}/metrics`);
      expect(scrape.headers.get('content-type')).toContain('text/plain');
      const text = await scrape.text();
      const requests = (labels: string) => sample(text, 'guise_http_requests_total', labels);
      expect(requests('dialect="aws-imds",path_class="credentials",status="200"')).toBe(2);
      expect(requests('dialect="aws-imds",path_class="meta-data",status="404"')).toBe(1);
      expect(requests('dialect="aws-imds",path_class="token",status="400"')).toBe(1);

      const source = `vault-aws:aws/sts/${DEMO_ROLE}`;
      // Both requests were cache hits: the one backend call is the warm-up.
      expect(
        sample(text, 'guise_credential_events_total', `source="${source}",outcome="issued"`),
      ).toBe(1);
      expect(sample(text, 'guise_credential_backend_seconds_count', `source="${source}"`)).toBe(1);
      const expiry = sample(text, 'guise_credential_expiry_seconds', `source="${source}"`) ?? 0;
      expect(expiry).toBeGreaterThan(3500);
      expect(expiry).toBeLessThanOrEqual(3600);
      const age = sample(text, 'guise_credential_age_seconds', `source="${source}"`) ?? -1;
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(60);
      expect(sample(text, 'guise_vault_logins_total')).toBe(1);
      expect(sample(text, 'guise_vault_session_ready')).toBe(1);
      expect(sample(text, 'guise_vault_token_expiry_seconds')).toBeGreaterThan(3000);
      expect(text).toMatch(/^guise_build_info\{version="\d+\.\d+\.\d+",node="[\d.]+"\} 1$/m);

      expect(await (await fetch(`${metricsUrl}/healthz`)).text()).toBe('ok\n');
      const ready = await fetch(`${metricsUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe(`ready: ${source}\n`);

      // What systemd's ExecStartPost= runs: done at once, since a credential is in hand.
      const configFile = path.join(seeded.workDir, 'ready.yaml');
      await writeFile(configFile, readyConfig(agent.url, metricsUrl));
      const waited = await runGuise(['ready', '--config', configFile, '--timeout', '5']);
      expect(waited).toMatchObject({ code: 0, stdout: `ready (${metricsUrl}/readyz)\n` });
    } finally {
      await agent.stop();
    }
  });

  it('is not ready while no credential could be had (Vault unreachable)', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const agent = await startAgent(
      parseConfig({
        listen: '127.0.0.1:0',
        metrics: { listen: '127.0.0.1:0' },
        vault: {
          address: `http://127.0.0.1:${port}`,
          auth: { approle: { roleId: { value: 'r' }, secretId: { value: 's', wrapped: false } } },
        },
        aws: { role: { name: 'app' } },
      }),
      { logger: silentLogger },
    );
    try {
      await agent.ready;
      const ready = await fetch(`${agent.metricsUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${agent.metricsUrl}/healthz`)).status).toBe(200);
      const text = await (await fetch(`${agent.metricsUrl}/metrics`)).text();
      expect(sample(text, 'guise_vault_session_ready')).toBe(0);

      const configFile = path.join(seeded.workDir, 'not-ready.yaml');
      await writeFile(configFile, readyConfig(agent.url, agent.metricsUrl ?? ''));
      const waited = await runGuise(['ready', '--config', configFile, '--timeout', '1']);
      expect(waited.code).toBe(1);
      expect(waited.stderr).toBe(`not ready after 1s: ${agent.metricsUrl}/readyz: status 503\n`);
    } finally {
      await agent.stop();
    }
  });

  it('refuses a routable metrics address without allowRemote', () => {
    expect(() =>
      parseConfig({
        metrics: { listen: '10.0.0.1:9464' },
        vault: { address: 'http://127.0.0.1:8200', auth: { token: { file: '/t' } } },
        aws: { role: { name: 'app' } },
      }),
    ).toThrow(/metrics\.listen: 10\.0\.0\.1 is neither loopback nor link-local/);
  });
});

describe('log format', () => {
  it('auto: text on a terminal, JSON under systemd and in pipes', () => {
    expect(resolveLogFormat('auto', { isTTY: true }, {})).toBe('text');
    expect(resolveLogFormat('auto', { isTTY: true }, { JOURNAL_STREAM: '8:1234' })).toBe('json');
    expect(resolveLogFormat('auto', { isTTY: false }, {})).toBe('json');
    expect(resolveLogFormat('text', { isTTY: false }, {})).toBe('text');
  });

  it('text lines carry the same redacted fields as JSON', () => {
    const lines: string[] = [];
    const logger = new JsonLogger({
      format: 'text',
      now: () => Date.UTC(2026, 0, 1, 12, 0, 1),
      write: (line) => lines.push(line),
    });
    logger.child({ component: 'vault' }).info('vault login succeeded', {
      accessor: 'abc',
      secret_id: 'must-not-appear',
      reason: 'token expired',
    });
    expect(lines).toEqual([
      '2026-01-01 12:00:01 INFO  vault login succeeded component=vault accessor=abc secret_id=[redacted] reason="token expired"',
    ]);
  });
});

describe('/readyz', () => {
  it('is 503 once the last credential is within the final minute, which clients are no longer given', async () => {
    const clock = new ManualClock();
    const broker = new CredentialBroker(clock, DEFAULT_FRESHNESS, silentLogger);
    let issued = 0;
    // One credential of 10 minutes, then a backend that fails: the credential ages out.
    const source = fromCallback(
      'only',
      () => {
        issued += 1;
        if (issued > 1) throw new Error('Vault is down');
        return 'value';
      },
      { ttlSeconds: 600, clock },
    );
    await broker.warm(source, undefined);
    const server = await startMetricsServer(
      new AgentMetrics(broker, undefined, clock),
      broker,
      clock,
      { host: '127.0.0.1', port: 0 },
    );
    const readyz = async () => {
      const response = await fetch(`${server.url}/readyz`);
      return `${response.status} ${await response.text()}`;
    };
    try {
      const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'HEAD, GET']);
      const unknown = await fetch(`${server.url}/nope`);
      expect([unknown.status, unknown.headers.get('cache-control'), await unknown.text()]).toEqual([
        404,
        'no-store',
        'Not Found\n',
      ]);
      await clock.advance(8 * 60_000 + 30_000); // 90 s left
      expect(await readyz()).toBe('200 ready: only\n');
      await clock.advance(31_000); // 59 s left: inside DEFAULT_FRESHNESS.outageMarginMs
      expect(await readyz()).toBe(
        '503 not ready: no credential source has a usable credential yet\n',
      );
      expect(issued).toBeGreaterThan(1);
    } finally {
      await server.close();
      await broker.shutdown();
    }
  });
});
