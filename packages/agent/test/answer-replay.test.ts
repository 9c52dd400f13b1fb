import net from 'node:net';
import { ManualClock, silentLogger } from '@guise/core';
import { HttpCallsInFlight, waitForQuiet } from '@guise/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../src/compose/start-agent.js';
import { CLOUD_PLATFORM_SCOPE } from '../src/config/gcp-schema.js';
import { devAzureIdentities } from '../src/dev/dev-cloud-sections.js';
import { DEMO_ROLE } from '../src/dev/seed-vault.js';
import { DEMO_GCP_ROLESET } from '../src/dev/seed-gcp.js';
import type { RotatingCredential } from './concurrency/rotating-credentials.js';
import { awsRole, azureToken, gcpToken } from './concurrency/rotating-credentials.js';
import type { SeededVault } from './support/seeded-agent.js';
import { startAgentOn, startSeededVault } from './support/seeded-agent.js';

/**
 * The agent replays credential answers in front of Koa (core's AnswerCache). These tests hold it
 * to what it promises: a replay is the answer itself, and a credential replaced is served from
 * the moment it is in — never a replay of its predecessor.
 */

const MINUTE = 60_000;
const ARM = 'https://management.azure.com/';

const clock = new ManualClock();
let seeded: SeededVault;
let agent: RunningAgent;
let credentials: RotatingCredential[];

beforeAll(async () => {
  seeded = await startSeededVault({ clock });
  agent = await startAgentOn(seeded, DEMO_ROLE, silentLogger, {
    clock,
    dialects: ['aws', 'gcp', 'azure'],
  });
  const [system] = devAzureIdentities(seeded);
  credentials = [
    awsRole(seeded, agent.url, DEMO_ROLE),
    gcpToken(seeded, agent.url, {
      roleset: DEMO_GCP_ROLESET,
      email: seeded.gcp.email,
      scopes: [CLOUD_PLATFORM_SCOPE],
    }),
    azureToken(seeded, agent.url, { vaultRole: system?.name ?? '', resource: ARM }),
  ];
});
afterAll(async () => {
  await agent?.stop();
  await seeded?.stop();
});

/** The whole answer to one request on its own connection, as the bytes on the wire. */
function rawExchange(url: string, headers: Readonly<Record<string, string>>): Promise<string> {
  const { port, pathname, search } = new URL(url);
  const lines = [`GET ${pathname}${search} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('Connection: close', '', '');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(lines.join('\r\n')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

/** Node writes Date afresh on every answer, replayed or not; the rest must not move. */
const withoutDate = (raw: string) => raw.replace(/^Date: .*\r\n/m, '');

async function identityServed(credential: RotatingCredential): Promise<string> {
  const sentAt = clock.now();
  const response = await fetch(credential.url, { headers: credential.headers });
  const body = await response.text();
  expect(response.status, `${credential.name}: ${body}`).toBe(200);
  return credential.verify({ credential, sentAt, receivedAt: clock.now(), status: 200, body });
}

describe('credential answers replayed in front of Koa', () => {
  it('replays each dialect’s answer byte for byte, Date aside', async () => {
    const token = await fetch(`${agent.url}/latest/api/token`, {
      method: 'PUT',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
    }).then((response) => response.text());
    const [aws] = credentials;
    const requests = [
      ...credentials,
      { ...aws, name: 'aws v2', headers: { 'X-aws-ec2-metadata-token': token } },
    ] as RotatingCredential[];
    for (const { name, url, headers } of requests) {
      const first = await rawExchange(url, headers);
      expect(first, name).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(first, name).toMatch(/^Date: /m);
      for (let i = 0; i < 3; i += 1)
        expect(withoutDate(await rawExchange(url, headers)), name).toBe(withoutDate(first));
    }
  });

  it('hands every identical token PUT of a second one token, which lasts the TTL each asked for', async () => {
    const put = async () => {
      const response = await fetch(`${agent.url}/latest/api/token`, {
        method: 'PUT',
        headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '5' },
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const secondEnds = clock.now() - (clock.now() % 1_000) + 1_000;
    const first = await put();
    await clock.advance(secondEnds - 1 - clock.now());
    expect(await put()).toBe(first);
    await clock.advance(1);
    const next = await put();
    expect(next).not.toBe(first);
    const [aws] = credentials as [RotatingCredential];
    const useAt = async (token: string) =>
      (await fetch(aws.url, { headers: { 'X-aws-ec2-metadata-token': token } })).status;
    // The first, handed out last a millisecond before its second ended, still has its 5 s.
    await clock.advance(4_999);
    expect([await useAt(first), await useAt(next)]).toEqual([200, 200]);
    await clock.advance(1);
    expect([await useAt(first), await useAt(next)]).toEqual([401, 200]);
  });

  it('serves a replacement from the moment it is in, not a replay of the credential it replaces', async () => {
    const served = new Map(
      await Promise.all(credentials.map(async (c) => [c, await identityServed(c)] as const)),
    );
    const issuesAtStart = credentials.map((credential) => credential.issues());
    // Up to a minute before the earliest replacement (AWS's and Azure's, 28 min after issue).
    for (let minute = 0; minute < 27; minute += 1) {
      await clock.advance(MINUTE);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Then task by task through every credential's replacement window, each time with a fresh
    // answer in the cache one millisecond before the task runs. A replay would hold until a
    // second later: the credential served right after a replacement came in tells.
    const replacedAt: string[] = [];
    // What a task sets off (Vault, then Entra or Google) has ended when no call is on the wire.
    const calls = new HttpCallsInFlight();
    const quiet = () =>
      waitForQuiet(calls, () => seeded.vault.requests.length + seeded.azureCloud.requests.length);
    while (clock.now() < 50 * MINUTE + Date.UTC(2026, 0, 1)) {
      const due = clock.nextDueAt();
      if (due === undefined) break;
      if (due - 1 > clock.now()) await clock.advance(due - 1 - clock.now());
      for (const credential of credentials)
        served.set(credential, await identityServed(credential));
      const issuesBefore = credentials.map((credential) => credential.issues());
      await clock.advance(1);
      await quiet();
      for (const [i, credential] of credentials.entries()) {
        if (credential.issues() === issuesBefore[i]) continue;
        const now = await identityServed(credential);
        expect(now, `${credential.name} at ${new Date(clock.now()).toISOString()}`).not.toBe(
          served.get(credential),
        );
        replacedAt.push(credential.name);
      }
    }
    calls.close();
    // Every credential was replaced on the way, and each replacement checked.
    expect(new Set(replacedAt)).toEqual(new Set(credentials.map((c) => c.name)));
    credentials.forEach((credential, i) =>
      expect(credential.issues(), credential.name).toBeGreaterThan(issuesAtStart[i] ?? 0),
    );
  }, 60_000);

  it('still counts every replayed Azure identity request against IMDS’s 20 a second', async () => {
    await clock.advance(1_000);
    const azure = credentials[2] as RotatingCredential;
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      const response = await fetch(azure.url, { headers: azure.headers });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array<number>(20).fill(200), ...Array<number>(5).fill(429)]);
  });
});
