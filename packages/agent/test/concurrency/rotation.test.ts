import { ManualClock, silentLogger } from '@guise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import type { SeededVault } from '../support/seeded-agent.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';

const CLIENTS = 1_000;
const MINUTE = 60_000;
/** Served credentials keep at least this much lifetime (20 min, the default floor). */
const FLOOR_MS = 20 * MINUTE;
const ROLES = ['alpha', 'beta', 'gamma'];
const CREDENTIAL_KEYS = [
  'Code',
  'LastUpdated',
  'Type',
  'AccessKeyId',
  'SecretAccessKey',
  'Token',
  'Expiration',
];

const clock = new ManualClock();
let seeded: SeededVault;
const agents = new Map<string, RunningAgent>();

beforeAll(async () => {
  seeded = await startSeededVault({ clock, extraRoles: ROLES });
  for (const role of ROLES)
    agents.set(role, await startAgentOn(seeded, role, silentLogger, { clock }));
});
afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  await seeded.stop();
});

/** Successful Vault issues of `role`'s credentials so far. */
function issues(role: string): number {
  return seeded.vault.requests.filter((r) => r.path === `/v1/aws/sts/${role}` && r.status === 200)
    .length;
}

/** Moves the fake clock minute by minute, letting real I/O (Vault calls) finish in between. */
async function advanceMinutes(minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i += 1) {
    await clock.advance(MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Answer {
  readonly role: string;
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly status: number;
  readonly body: string;
}

async function ask(role: string, delayMs: number): Promise<Answer> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const url = `${agents.get(role)?.url}/latest/meta-data/iam/security-credentials/${role}`;
  const sentAt = clock.now();
  const response = await fetch(url);
  return {
    role,
    sentAt,
    status: response.status,
    body: await response.text(),
    receivedAt: clock.now(),
  };
}

describe(`${CLIENTS} concurrent clients across ${ROLES.length} roles during credential rotations`, () => {
  it('each get a complete, unexpired credential of their own role; one Vault issue per rotation per role', async () => {
    for (const role of ROLES) expect(issues(role)).toBe(1); // the warm-up, at minute 0
    let minute = 0;
    for (let rotation = 1; rotation <= 2; rotation += 1) {
      // 1 h credentials are replaced 28–34 min after issue, so rotation k of every role falls
      // between minutes 28k and 34k: clients arrive all through [28k - 1, 34k + 1].
      await advanceMinutes(28 * rotation - 1 - minute);
      const answers = Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          ask(ROLES[i % ROLES.length] ?? '', (i * 7) % 300),
        ),
      );
      await advanceMinutes(6 * rotation + 2);
      minute = 34 * rotation + 1;
      for (const answer of await answers) {
        expect(answer.status).toBe(200);
        const credential = JSON.parse(answer.body) as Record<string, string>;
        expect(Object.keys(credential)).toEqual(CREDENTIAL_KEYS);
        const issuedFor = seeded.vault.aws.findAccessKey(credential['AccessKeyId'] ?? '');
        expect(issuedFor?.arn).toContain(`:assumed-role/${answer.role}/`);
        expect(issuedFor?.secretAccessKey).toBe(credential['SecretAccessKey']);
        expect(issuedFor?.sessionToken).toBe(credential['Token']);
        const expiresAt = Date.parse(credential['Expiration'] ?? '');
        expect(expiresAt).toBeGreaterThan(answer.receivedAt);
        // Served at some moment after sentAt with more than the floor left (Expiration is rounded down).
        expect(expiresAt + 1_000 - answer.sentAt).toBeGreaterThan(FLOOR_MS);
      }
      for (const role of ROLES) expect(issues(role)).toBe(1 + rotation);
      // The clients did straddle the rotation: each role served its old and its new credential.
      for (const role of ROLES) {
        const keys = new Set(
          (await answers)
            .filter((a) => a.role === role)
            .map((a) => (JSON.parse(a.body) as Record<string, string>)['AccessKeyId']),
        );
        expect(keys.size).toBe(2);
      }
    }
  }, 60_000);
});
