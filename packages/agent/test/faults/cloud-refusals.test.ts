import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { JsonLogger } from '@guise/core';
import { afterEach, describe, expect, it } from 'vitest';
import { devCloudSections } from '../../src/dev/dev-cloud-sections.js';
import { DEMO_ROLE } from '../../src/dev/seed-vault.js';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import type { SeededVault } from '../support/seeded-agent.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import { DIALECT_PROBES, Prober } from './dialect-probes.js';
import { issuedSecrets, leakedSecrets } from './issued-secrets.js';

// What the clouds refuse behind Vault's back: fresh IAM user keys and Entra service principals
// they do not know yet (eventual consistency: vault-api.md §10 #1, #8; azure-imds.md §0.14), and
// assumed-role sessions longer than role chaining allows (§10 #2). Real time throughout:
// propagation does not follow a test's clock.

const IAM_USER_ROLE = 'guise-iam';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function probeFor(name: 'AWS role credentials' | 'Azure managed-identity token') {
  const probe = DIALECT_PROBES.find((p) => p.name === name);
  if (!probe) throw new Error(`no probe ${name}`);
  return probe;
}

/** Seeds an `iam_user` role as an operator would, and lets the agent's AppRole read it. */
async function seedIamUserRole(seeded: SeededVault): Promise<void> {
  const { operator, appRole } = seeded;
  await operator.write(`aws/roles/${IAM_USER_ROLE}`, {
    credential_type: 'iam_user',
    policy_document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
    }),
  });
  await operator.write(`sys/policies/acl/${IAM_USER_ROLE}`, {
    policy: `path "aws/creds/${IAM_USER_ROLE}" {\n  capabilities = ["read"]\n}\n`,
  });
  await operator.write(`auth/approle/role/${appRole.roleName}`, {
    token_policies: [...appRole.policies, IAM_USER_ROLE],
    token_ttl: '1h',
  });
}

async function agentServingIamUser(
  seeded: SeededVault,
  logger: JsonLogger,
  propagationDelay: string,
): Promise<RunningAgent> {
  const aws = devCloudSections(seeded).aws;
  const agent = await startAgentOn(seeded, IAM_USER_ROLE, logger, {
    untilListening: true,
    extra: {
      aws: {
        ...aws,
        role: { name: IAM_USER_ROLE, vault: { endpoint: 'creds', propagationDelay } },
      },
    },
  });
  cleanup.push(() => agent.stop());
  return agent;
}

async function callerArn(seeded: SeededVault, body: string): Promise<string> {
  const served = JSON.parse(body) as Record<string, string>;
  const client = new STSClient({
    region: 'us-east-1',
    endpoint: seeded.sts.url,
    credentials: {
      accessKeyId: served['AccessKeyId'] ?? '',
      secretAccessKey: served['SecretAccessKey'] ?? '',
      sessionToken: served['Token'],
    },
    maxAttempts: 1,
  });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  } finally {
    client.destroy();
  }
}

describe('a fresh iam_user key that IAM has not propagated yet', () => {
  it('is held back: clients get 503 at once meanwhile, then a key STS accepts', async () => {
    const seeded = await startSeededVault();
    cleanup.push(() => seeded.stop());
    await seedIamUserRole(seeded);
    seeded.vault.aws.propagationDelayMs = 1_500;
    const lines: string[] = [];
    const logger = new JsonLogger({ level: 'debug', write: (l) => lines.push(l) });
    const probe = probeFor('AWS role credentials');
    const path = probe.path.replace(DEMO_ROLE, IAM_USER_ROLE);

    const agent = await agentServingIamUser(seeded, logger, '2s');
    const prober = new Prober(agent.url);
    cleanup.push(async () => prober.close());
    const started = performance.now();
    const early = await prober.ask({ ...probe, path }, Date.now);
    // The status botocore and the JS SDK retry, in less than the second they allow IMDS.
    expect(early.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(1_000);
    await agent.ready;
    const served = await prober.ask({ ...probe, path }, Date.now);
    expect(served.status).toBe(200);
    expect(served.credential?.id).toMatch(/^AKIA/);
    expect(await callerArn(seeded, served.body)).toMatch(/:user\/vault-approle-guise-iam-/);

    const held = lines.filter((l) => l.includes('new credential held back'));
    expect(held).toHaveLength(1);
    expect(leakedSecrets([...lines, early.body], issuedSecrets(seeded))).toEqual([]);
  }, 20_000);

  it('without the hold-back (propagationDelay: 0s), the first key served is one STS refuses', async () => {
    const seeded = await startSeededVault();
    cleanup.push(() => seeded.stop());
    await seedIamUserRole(seeded);
    seeded.vault.aws.propagationDelayMs = 5_000;
    const agent = await agentServingIamUser(
      seeded,
      new JsonLogger({ write: () => undefined }),
      '0s',
    );
    await agent.ready;
    const prober = new Prober(agent.url);
    cleanup.push(async () => prober.close());
    const probe = probeFor('AWS role credentials');
    const served = await prober.ask(
      { ...probe, path: probe.path.replace(DEMO_ROLE, IAM_USER_ROLE) },
      Date.now,
    );
    expect(served.status).toBe(200);
    expect(await callerArn(seeded, served.body)).toBe('InvalidClientTokenId');
  }, 20_000);
});

describe('a fresh Vault service principal that Entra does not know yet', () => {
  it('is retried until Entra accepts it: a waiting client gets a token Entra issued, one line says so', async () => {
    const seeded = await startSeededVault();
    cleanup.push(() => seeded.stop());
    seeded.vault.azure.propagationDelayMs = 2_000;
    const lines: string[] = [];
    const logger = new JsonLogger({ level: 'debug', write: (l) => lines.push(l) });
    const agent = await startAgentOn(seeded, DEMO_ROLE, logger, {
      dialects: ['azure'],
      untilListening: true,
    });
    cleanup.push(() => agent.stop());
    const prober = new Prober(agent.url);
    cleanup.push(async () => prober.close());

    // Azure clients wait (azure-cli sets no timeout) and retry 5xx: the agent answers once it can.
    const answer = await prober.ask(probeFor('Azure managed-identity token'), Date.now);
    expect(answer.status).toBe(200);
    const claims = seeded.azureCloud.verifyToken(answer.credential?.id ?? '');
    expect(claims?.tid).toBe(seeded.vault.azure.tenantId);
    const refused = seeded.azureCloud.requests.filter(
      (r) => r.path.endsWith('/oauth2/v2.0/token') && r.status === 400,
    );
    expect(refused.length).toBeGreaterThan(1);

    await agent.ready; // the other identity's principal too
    const info = lines
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .filter((l) => l.level === 'info' && l.msg.startsWith('Entra'));
    // Both identities' principals are new: a line as each wait starts and one as it ends.
    expect(info.map((l) => l.msg).sort()).toEqual([
      'Entra accepts the service principal now',
      'Entra accepts the service principal now',
      'Entra does not know the service principal yet; retrying',
      'Entra does not know the service principal yet; retrying',
    ]);
    expect(leakedSecrets(lines, issuedSecrets(seeded))).toEqual([]);
  }, 20_000);
});

describe('an assumed role asked for longer than AWS allows when Vault itself holds temporary credentials', () => {
  it('falls back to one hour, says so once, and serves a credential STS accepts', async () => {
    const seeded = await startSeededVault();
    cleanup.push(() => seeded.stop());
    seeded.vault.aws.roleChaining = true;
    const lines: string[] = [];
    const logger = new JsonLogger({ level: 'debug', write: (l) => lines.push(l) });
    const aws = devCloudSections(seeded).aws;
    const agent = await startAgentOn(seeded, DEMO_ROLE, logger, {
      extra: { aws: { ...aws, role: { name: DEMO_ROLE, vault: { ttl: '4h' } } } },
    });
    cleanup.push(() => agent.stop());
    const prober = new Prober(agent.url);
    cleanup.push(async () => prober.close());

    const served = await prober.ask(probeFor('AWS role credentials'), Date.now);
    expect(served.status).toBe(200);
    const lifetime = (served.credential?.expiresAt ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
    expect(await callerArn(seeded, served.body)).toMatch(new RegExp(`:assumed-role/${DEMO_ROLE}/`));
    const refusals = seeded.vault.requests.filter(
      (r) => r.path === `/v1/aws/sts/${DEMO_ROLE}` && r.status === 400,
    );
    expect(refusals).toHaveLength(1);
    expect(lines.filter((l) => l.includes('role chaining'))).toHaveLength(1);
  }, 20_000);
});
