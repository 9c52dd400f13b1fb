import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AUDIENCE, locateGcpClients } from './gcp-clients.js';
import { runGcpScenario, type GcpOutcome } from './gcp-scenario-runner.js';
import { devArgv } from './guise-dev-command.js';
import { probePrivateNetns } from './netns.js';

// The zero-configuration promise for GCP, tested the way a user's VM sees it: `guise dev` on
// 169.254.169.254:80, `metadata.google.internal` resolving to it through the namespace's own
// /etc/hosts, and unmodified gcloud and Python google-auth with no metadata settings, no key and
// a fresh gcloud config. All of it happens in namespaces this file creates (see netns.ts);
// without them the suite is skipped, never run against the host's network.

const LOG = '[zero-config gcp e2e]';
const SCENARIO_TIMEOUT_MS = 90_000;

const netns = probePrivateNetns();
if (!netns.available) console.warn(`${LOG} skipped, no private network namespace: ${netns.reason}`);

const clients = locateGcpClients();
for (const [name, client] of Object.entries(clients)) {
  if (!client.found) console.warn(`${LOG} ${name} skipped: ${client.missing}`);
}
const nameOf = (client: (typeof clients)[keyof typeof clients]) =>
  client.found ? client.what : 'not installed';

const gcloudConfig = z.object({
  core: z.object({ account: z.string(), project: z.string() }),
});
const googleAuthProbe = z.object({
  version: z.string(),
  token: z.string(),
  email: z.string(),
  defaultType: z.string(),
  project: z.string().nullable(),
  idToken: z.string().optional(),
});

/** The claims of a compact JWS, as any relying party decodes them before verifying. */
function claimsOf(jwt: string): Record<string, unknown> {
  const parts = jwt.trim().split('.');
  expect(parts).toHaveLength(3);
  return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe.skipIf(!netns.available)('zero-config GCP clients against guise dev', () => {
  let outcome: GcpOutcome;
  beforeAll(async () => {
    outcome = await runGcpScenario(
      netns,
      {
        devArgv: devArgv(),
        clients: Object.values(clients).flatMap((client) => (client.found ? client.runs : [])),
        startTimeoutMs: 15_000,
        clientTimeoutMs: 30_000,
      },
      SCENARIO_TIMEOUT_MS,
    );
  }, SCENARIO_TIMEOUT_MS + 5_000);

  /** The client's stdout once it has exited 0 in time; anything else fails showing its stderr. */
  const stdoutOf = (id: string) => {
    const result = outcome.client(id);
    expect(result, `${result.argv.join(' ')}\n${result.stderr}`).toMatchObject({
      exitCode: 0,
      timedOut: false,
    });
    return result.stdout;
  };
  /** What an ID token of the demo account for AUDIENCE must say (reference §1.4). */
  const expectDemoIdToken = (jwt: string) => {
    const claims = claimsOf(jwt);
    expect(claims).toMatchObject({
      aud: AUDIENCE,
      email: outcome.dev.gcp.serviceAccount,
      email_verified: true,
      iss: 'https://accounts.google.com',
    });
    expect(Number(claims['exp'])).toBeGreaterThan(Date.now() / 1000 + 300);
  };

  it('serves the metadata the clients are compared with', () => {
    const { dev, gce } = outcome;
    expect(gce).toMatchObject({
      tokenStatus: 200,
      flavorlessStatus: 403,
      flavor: 'Google',
      projectId: dev.gcp.projectId,
      numericProjectId: dev.gcp.projectNumber,
      email: dev.gcp.serviceAccount,
    });
    expect(gce.accessToken).toMatch(/^ya29\./);
    expect(gce.expiresIn).toBeGreaterThan(300);
  });

  it.skipIf(!clients.gcloud.found)(`gcloud (${nameOf(clients.gcloud)})`, () => {
    const { dev, gce } = outcome;
    // `config list` shows what gcloud detected on "GCE": the account and the project.
    expect(gcloudConfig.parse(JSON.parse(stdoutOf('gcloud-config-list'))).core).toMatchObject({
      account: dev.gcp.serviceAccount,
      project: dev.gcp.projectId,
    });
    expect(stdoutOf('gcloud-access-token').trim()).toBe(gce.accessToken);
    expectDemoIdToken(stdoutOf('gcloud-identity-token'));
  });

  it.skipIf(!clients.bundledGoogleAuth.found)(
    `Python google-auth bundled with gcloud (${nameOf(clients.bundledGoogleAuth)})`,
    () => {
      const probe = googleAuthProbe.parse(JSON.parse(stdoutOf('bundled-google-auth')));
      expect(probe).toMatchObject({
        token: outcome.gce.accessToken,
        email: outcome.dev.gcp.serviceAccount,
        defaultType: 'Credentials',
        project: outcome.dev.gcp.projectId,
      });
      expectDemoIdToken(probe.idToken ?? '');
    },
  );

  it.skipIf(!clients.debianGoogleAuth.found)(
    `Debian python3-google-auth 1.5.1 (${nameOf(clients.debianGoogleAuth)})`,
    () => {
      const probe = googleAuthProbe.parse(JSON.parse(stdoutOf('debian-google-auth')));
      // 1.5.1 reads `default/?recursive=true`, then asks for the token under the email (§1.4).
      expect(probe).toMatchObject({
        token: outcome.gce.accessToken,
        email: outcome.dev.gcp.serviceAccount,
        defaultType: 'Credentials',
        project: outcome.dev.gcp.projectId,
      });
    },
  );

  it('stops on SIGTERM', () => {
    expect(outcome.stopped, outcome.stopped.stderr).toMatchObject({ forced: false, code: 0 });
  });
});
