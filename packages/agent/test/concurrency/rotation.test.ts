import { ManualClock, silentLogger } from '@guise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import { CLOUD_PLATFORM_SCOPE } from '../../src/config/gcp-schema.js';
import { devAzureIdentities, devCloudSections } from '../../src/dev/dev-cloud-sections.js';
import { DEMO_GCP_ROLESET } from '../../src/dev/seed-gcp.js';
import type { SeededVault } from '../support/seeded-agent.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import { depth } from '../support/test-depth.js';
import type { Answer, RotatingCredential } from './rotating-credentials.js';
import { awsRole, azureToken, gcpToken, vaultIssues } from './rotating-credentials.js';

/** Clients per burst, spread over every credential. */
const CLIENTS = depth({ short: 1_000, long: 10_000 });
const MINUTE = 60_000;
/** Real time between minutes of the fake clock, for the requests and Vault calls of each. */
const STEP_MS = 25;
const AWS_ROLES = ['alpha', 'beta', 'gamma'];
/** A second roleset, served for `?scopes=` of its scope: a GCE "role" of its own. */
const STORAGE_ROLESET = 'storage';
const STORAGE_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';
const ARM = 'https://management.azure.com/';
const KEY_VAULT = 'https://vault.azure.net';
/**
 * Bursts of clients, in minutes on the agents' clock; every credential is issued at minute 0.
 * The first straddles every credential's first replacement (AWS and Azure at 28–34, GCP at
 * 43–49), the second the second replacement of AWS's and Azure's (56–68). GCP's second falls
 * at 86–98 and AWS's and Azure's third at 84–102, after the end. Each starts two minutes early:
 * a credential nobody asked for since its issue is not replaced ahead of time (the broker
 * forgets request-shaped credentials), so every credential must be asked for before its turn.
 */
const BURSTS: ReadonlyArray<readonly [number, number]> = [
  [26, 51],
  [54, 70],
];

const clock = new ManualClock();
let seeded: SeededVault;
const agents: RunningAgent[] = [];
let credentials: RotatingCredential[] = [];

/**
 * One agent serves the first AWS role and the GCP and Azure dialects (its default token and a
 * scoped one, two managed identities and two resources); one more agent per other AWS role.
 */
beforeAll(async () => {
  seeded = await startSeededVault({
    clock,
    extraRoles: AWS_ROLES,
    extraPolicies: {
      'storage-roleset': `path "gcp/roleset/${STORAGE_ROLESET}/token" {\n  capabilities = ["read"]\n}\n`,
    },
  });
  const project = seeded.vault.gcp.projectId;
  await seeded.operator.write(`gcp/roleset/${STORAGE_ROLESET}`, {
    secret_type: 'access_token',
    project,
    bindings: `resource "//cloudresourcemanager.googleapis.com/projects/${project}" { roles = ["roles/storage.objectViewer"] }`,
    token_scopes: [STORAGE_SCOPE],
  });
  const storageEmail = (
    await seeded.operator.read<{ service_account_email: string }>(`gcp/roleset/${STORAGE_ROLESET}`)
  )?.data?.service_account_email;
  const { gcp, azure } = devCloudSections(seeded);
  const [first = '', ...others] = AWS_ROLES;
  agents.push(
    await startAgentOn(seeded, first, silentLogger, {
      clock,
      dialects: ['aws', 'gcp', 'azure'],
      extra: {
        gcp: {
          ...gcp,
          serviceAccount: {
            ...gcp.serviceAccount,
            scopedTokens: [{ scopes: [STORAGE_SCOPE], vault: { roleset: STORAGE_ROLESET } }],
          },
        },
        // A minute of the fake clock lasts 25 ms: IMDS's 20 token requests a second of it would
        // answer a burst's Azure clients 429.
        azure: { ...azure, identityRequestsPerSecond: 1_000_000 },
      },
    }),
    ...(await Promise.all(
      others.map((role) => startAgentOn(seeded, role, silentLogger, { clock })),
    )),
  );
  const url = agents[0]?.url ?? '';
  const [system, user] = devAzureIdentities(seeded);
  credentials = [
    ...AWS_ROLES.map((role, i) => awsRole(seeded, agents[i]?.url ?? '', role)),
    gcpToken(seeded, url, {
      roleset: DEMO_GCP_ROLESET,
      email: seeded.gcp.email,
      scopes: [CLOUD_PLATFORM_SCOPE],
    }),
    gcpToken(seeded, url, {
      roleset: STORAGE_ROLESET,
      email: storageEmail ?? '',
      scopes: [STORAGE_SCOPE],
      query: `?scopes=${encodeURIComponent(STORAGE_SCOPE)}`,
    }),
    azureToken(seeded, url, { vaultRole: system.name, resource: ARM }),
    azureToken(seeded, url, { vaultRole: system.name, resource: KEY_VAULT }),
    azureToken(seeded, url, { vaultRole: user.name, clientId: user.clientId, resource: ARM }),
  ];
});
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await seeded.stop();
});

/** Moves the fake clock minute by minute, letting real I/O (Vault calls) finish in between. */
async function advanceMinutes(minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i += 1) {
    await clock.advance(MINUTE);
    await new Promise((resolve) => setTimeout(resolve, STEP_MS));
  }
}

async function ask(credential: RotatingCredential): Promise<Answer> {
  const sentAt = clock.now();
  const response = await fetch(credential.url, { headers: credential.headers });
  const body = await response.text();
  return { credential, sentAt, status: response.status, body, receivedAt: clock.now() };
}

/** Each answer a valid credential of its own role; returns the credentials served, by role. */
function verifyAll(answers: readonly Answer[]): Map<RotatingCredential, Set<string>> {
  const served = new Map<RotatingCredential, Set<string>>();
  for (const answer of answers) {
    expect(answer.status, `${answer.credential.name}: ${answer.body}`).toBe(200);
    const id = answer.credential.verify(answer);
    served.set(answer.credential, (served.get(answer.credential) ?? new Set()).add(id));
  }
  return served;
}

/** Replacements due by `minute`; the bursts are planned so that none is still pending then. */
function replacementsBy(credential: RotatingCredential, minute: number): number {
  const [earliest, latest] = credential.replacedWithin;
  const done = Math.floor(minute / latest);
  expect(Math.floor(minute / earliest), `${credential.name} rotating at minute ${minute}`).toBe(
    done,
  );
  return done;
}

describe(`${CLIENTS} concurrent clients across roles and dialects during credential rotations`, () => {
  it(
    'each get a complete, unexpired credential of the role asked for; one issue per rotation per role',
    async () => {
      // Minute 0: the credentials no agent warms itself (a scoped token, a second resource) are
      // issued by their first client, so that all rotate on one schedule.
      verifyAll(await Promise.all(credentials.map((credential) => ask(credential))));
      for (const credential of credentials) expect(credential.issues(), credential.name).toBe(1);

      let minute = 0;
      for (const [from, to] of BURSTS) {
        await advanceMinutes(from - minute);
        const issuedBefore = credentials.map((credential) => credential.issues());
        // Arrivals spread evenly over the burst on the fake clock, every credential every minute.
        const answers = Promise.all(
          Array.from({ length: CLIENTS }, (_, i) => {
            const credential = credentials[i % credentials.length] as RotatingCredential;
            const delayMs = ((to - from) * MINUTE * i) / CLIENTS;
            return new Promise<Answer>((resolve, reject) =>
              clock.schedule(() => ask(credential).then(resolve, reject), delayMs),
            );
          }),
        );
        await advanceMinutes(to - from);
        minute = to;
        const served = verifyAll(await answers);
        credentials.forEach((credential, i) => {
          // The clients straddled each replacement: old and new credentials were both served.
          const replaced = credential.issues() - (issuedBefore[i] ?? 0);
          expect(served.get(credential)?.size, credential.name).toBe(replaced + 1);
        });
      }

      for (const credential of credentials) {
        expect(credential.issues(), credential.name).toBe(1 + replacementsBy(credential, minute));
      }
      // Azure's tokens rotate; the service principal behind each identity is Vault's first, its
      // lease renewed rather than a new principal issued.
      for (const { name } of devAzureIdentities(seeded)) {
        expect(vaultIssues(seeded, `/v1/azure/creds/${name}`), name).toBe(1);
      }
    },
    depth({ short: 60_000, long: 300_000 }),
  );
});
