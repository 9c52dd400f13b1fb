import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { locateAzureClients } from './azure-clients.js';
import { devArgv } from './guise-dev-command.js';
import { probePrivateNetns } from './netns.js';
import type { ModeOutcome } from './scenario-runner.js';
import { runScenario } from './scenario-runner.js';

// Azure's zero-configuration promise, tested as zero-config.test.ts tests AWS's: `guise dev` on
// 169.254.169.254:80 inside a private network namespace this file creates, and Debian's Azure
// clients with no endpoint settings. azure-cli 2.45 cannot be pointed anywhere else for its token
// (reference/azure-imds.md §0.1); only its ARM calls go to the fake cloud, through a custom cloud.

const LOG = '[zero-config azure e2e]';
const SCENARIO_TIMEOUT_MS = 150_000;
const MODE = 'azure';

const netns = probePrivateNetns();
if (!netns.available) console.warn(`${LOG} skipped, no private network namespace: ${netns.reason}`);
const clients = locateAzureClients();
for (const [name, client] of Object.entries(clients)) {
  if (!client.found) console.warn(`${LOG} ${name} skipped: ${client.missing}`);
}
const nameOf = (client: (typeof clients)[keyof typeof clients]) =>
  client.found ? client.what : 'not installed';
const anyClient = Object.values(clients).some((client) => client.found);

const azSteps = z.object({
  steps: z.array(
    z.object({
      id: z.string(),
      argv: z.array(z.string()),
      exitCode: z.number().nullable(),
      stdout: z.string(),
      stderr: z.string(),
    }),
  ),
});
const azLogin = z.array(
  z.object({
    tenantId: z.string(),
    id: z.string(),
    isDefault: z.boolean(),
    user: z.object({ name: z.string(), type: z.string(), assignedIdentityInfo: z.string() }),
  }),
);
const azToken = z.object({
  accessToken: z.string(),
  expiresOn: z.string(),
  tenant: z.string(),
  tokenType: z.string(),
});
const pythonProbe = z.object({
  version: z.string(),
  system: z.object({ token: z.string(), expires_on: z.number() }),
  user: z.object({ token: z.string(), expires_on: z.number() }),
});

const jsProbe = z.object({
  system: z.object({ token: z.string(), expiresOnTimestamp: z.number() }),
  user: z.object({ token: z.string(), expiresOnTimestamp: z.number() }),
});

const claimsOf = (jwt: string) =>
  z
    .object({
      tid: z.string(),
      oid: z.string(),
      aud: z.string(),
      exp: z.number(),
      appid: z.string(),
    })
    .parse(JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')));

describe.skipIf(!netns.available || !anyClient)(
  'zero-config Azure clients against guise dev',
  () => {
    let outcome: ModeOutcome;
    beforeAll(async () => {
      const outcomes = await runScenario(
        netns,
        {
          devArgv: devArgv(),
          modes: [{ name: MODE, devFlags: [] }],
          clients: Object.values(clients).flatMap((client) => (client.found ? client.runs : [])),
          startTimeoutMs: 15_000,
          clientTimeoutMs: 120_000,
        },
        SCENARIO_TIMEOUT_MS,
      );
      const found = outcomes.get(MODE);
      if (!found) throw new Error('no outcome');
      outcome = found;
    }, SCENARIO_TIMEOUT_MS + 5_000);

    const azure = () => {
      const info = outcome.dev.azure;
      if (!info) throw new Error('guise dev printed no azure section');
      return info;
    };
    const stdoutOf = (id: string) => {
      const result = outcome.client(id);
      expect(result, `${result.argv.join(' ')}\n${result.stderr}`).toMatchObject({
        exitCode: 0,
        timedOut: false,
      });
      return result.stdout;
    };

    it.skipIf(!clients.azureCli.found)(
      `az login --identity [-u] and get-access-token (${nameOf(clients.azureCli)})`,
      () => {
        const { steps } = azSteps.parse(JSON.parse(stdoutOf('az')));
        const step = (id: string) => {
          const found = steps.find((s) => s.id === id);
          expect(
            found,
            `az step ${id} did not run:\n${JSON.stringify(steps, null, 2)}`,
          ).toBeDefined();
          expect(found?.exitCode, `${found?.argv.join(' ')}\n${found?.stderr}`).toBe(0);
          return JSON.parse(found?.stdout ?? '') as unknown;
        };
        const { tenantId, subscriptionId } = azure();
        // `az login` listed the fake ARM's subscriptions with the token: its tid chose the tenant.
        const [system] = azLogin.parse(step('login-system'));
        expect(system).toMatchObject({
          tenantId,
          id: subscriptionId,
          isDefault: true,
          user: {
            name: 'systemAssignedIdentity',
            type: 'servicePrincipal',
            assignedIdentityInfo: 'MSI',
          },
        });
        const systemToken = azToken.parse(step('token-system'));
        const systemClaims = claimsOf(systemToken.accessToken);
        expect(systemClaims).toMatchObject({
          tid: tenantId,
          aud: 'https://management.core.windows.net/',
        });
        expect(systemToken.tenant).toBe(tenantId);

        const userClientId = azure().identities.find(
          (identity) => !identity.systemAssigned,
        )?.clientId;
        const [user] = azLogin.parse(step('login-user'));
        expect(user).toMatchObject({
          tenantId,
          user: { name: 'userAssignedIdentity', assignedIdentityInfo: `MSIClient-${userClientId}` },
        });
        const userClaims = claimsOf(azToken.parse(step('token-user')).accessToken);
        expect(userClaims).toMatchObject({ tid: tenantId, aud: 'https://vault.azure.net' });
        // Two identities, two Vault-issued service principals.
        expect(userClaims.oid).not.toBe(systemClaims.oid);
        expect(userClaims.appid).not.toBe(systemClaims.appid);
      },
    );

    it.skipIf(!clients.pythonAzureIdentity.found)(
      `Python ManagedIdentityCredential().get_token (${nameOf(clients.pythonAzureIdentity)})`,
      () => {
        const probe = pythonProbe.parse(JSON.parse(stdoutOf('python-azure-identity')));
        const { tenantId } = azure();
        const system = claimsOf(probe.system.token);
        expect(system).toMatchObject({ tid: tenantId, aud: 'https://management.azure.com' });
        expect(probe.system.expires_on).toBe(system.exp);
        const user = claimsOf(probe.user.token);
        expect(user).toMatchObject({ tid: tenantId, aud: 'https://storage.azure.com' });
        expect(user.oid).not.toBe(system.oid);
      },
    );

    it.skipIf(!clients.azureIdentityJs.found)(
      `Node DefaultAzureCredential (probe) and ManagedIdentityCredential({ clientId }) (${nameOf(clients.azureIdentityJs)})`,
      () => {
        const probe = jsProbe.parse(JSON.parse(stdoutOf('azure-identity-js')));
        const { tenantId } = azure();
        const system = claimsOf(probe.system.token);
        expect(system).toMatchObject({ tid: tenantId, aud: 'https://management.azure.com' });
        // msal-node round-trips expires_on through expires_in on its own clock: a second early at most.
        expect(system.exp * 1000 - probe.system.expiresOnTimestamp).toBeOneOf([0, 1000]);
        const user = claimsOf(probe.user.token);
        expect(user).toMatchObject({ tid: tenantId, aud: 'https://storage.azure.com' });
        expect(user.oid).not.toBe(system.oid);
      },
    );

    it('stops on SIGTERM', () => {
      expect(outcome.stopped, outcome.stopped.stderr).toMatchObject({ forced: false, code: 0 });
    });
  },
);
