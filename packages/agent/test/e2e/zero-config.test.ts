import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { locateClients } from './clients.js';
import { devArgv, TOKEN_MODES } from './guise-dev-command.js';
import { probePrivateNetns } from './netns.js';
import { runScenario, type ModeOutcome } from './scenario-runner.js';

// The zero-configuration promise, tested the way a user's VM sees it: `guise dev` on the real
// metadata address 169.254.169.254:80 and unmodified AWS clients with no endpoint settings, no
// profile and no credentials. All of it happens in a network namespace this file creates (see
// netns.ts); without one the suite is skipped, never run against the host's network.

const LOG = '[zero-config e2e]';
const SCENARIO_TIMEOUT_MS = 50_000;

const netns = probePrivateNetns();
if (!netns.available) console.warn(`${LOG} skipped, no private network namespace: ${netns.reason}`);

const clients = locateClients();
for (const [name, client] of Object.entries(clients)) {
  if (!client.found) console.warn(`${LOG} ${name} skipped: ${client.missing}`);
}
const nameOf = (client: (typeof clients)[keyof typeof clients]) =>
  client.found ? client.what : 'not installed';

// What the clients print, reduced to the fields asserted on.
const callerIdentity = z.object({ Arn: z.string() });
const exportedCredentials = z.object({ AccessKeyId: z.string() });
const boto3Probe = z.object({ method: z.string(), accessKeyId: z.string(), arn: z.string() });
const sdkJsProbe = z.object({
  imdsAccessKeyId: z.string(),
  chainAccessKeyId: z.string(),
  arn: z.string(),
});

describe.skipIf(!netns.available)('zero-config AWS clients against guise dev', () => {
  let outcomes: Map<string, ModeOutcome>;
  beforeAll(async () => {
    outcomes = await runScenario(
      netns,
      {
        devArgv: devArgv(),
        modes: TOKEN_MODES,
        clients: Object.values(clients).flatMap((client) => (client.found ? client.runs : [])),
        startTimeoutMs: 15_000,
        clientTimeoutMs: 20_000,
      },
      SCENARIO_TIMEOUT_MS,
    );
  }, SCENARIO_TIMEOUT_MS + 5_000);

  describe.each(TOKEN_MODES)('$name', ({ name, tokenlessStatus }) => {
    const outcome = () => {
      const found = outcomes.get(name);
      if (!found) throw new Error(`no outcome for mode ${name}`);
      return found;
    };
    /** The client's stdout once it has exited 0 in time; anything else fails showing its stderr. */
    const stdoutOf = (id: string) => {
      const result = outcome().client(id);
      expect(result, `${result.argv.join(' ')}\n${result.stderr}`).toMatchObject({
        exitCode: 0,
        timedOut: false,
      });
      return result.stdout;
    };
    const json = <T>(schema: z.ZodType<T>, id: string): T => schema.parse(JSON.parse(stdoutOf(id)));
    const accessKey = () => outcome().imds.credentials.AccessKeyId;
    /** The fake STS names the caller from the keys Vault issued for the demo role. */
    const expectDemoRole = (arn: string) => {
      const { accountId, roles } = outcome().dev;
      expect(arn).toMatch(
        new RegExp(`^arn:aws:sts::${accountId}:assumed-role/${roles[0]}/[\\w+=,.@-]+$`),
      );
    };

    it('serves the metadata the clients are compared with', () => {
      const { dev, imds } = outcome();
      expect(imds.tokenStatus).toBe(200);
      expect(imds.tokenlessStatus).toBe(tokenlessStatus);
      expect(imds.roles).toBe(dev.roles[0]);
      expect(imds.credentials).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
      expect(imds.credentials.AccessKeyId).toMatch(/^[A-Z0-9]{16,128}$/);
      // botocore strptime()s "%Y-%m-%dT%H:%M:%SZ": fractional seconds would break its expiry logic.
      expect(imds.credentials.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // botocore derives the region as the AZ minus its last letter.
      expect(imds.region).toBe(dev.region);
      expect(imds.availabilityZone).toMatch(new RegExp(`^${dev.region}[a-z]$`));
    });

    it.skipIf(!clients.awsCliV2.found)(`AWS CLI v2 (${nameOf(clients.awsCliV2)})`, () => {
      expectDemoRole(json(callerIdentity, 'aws-v2-sts').Arn);
      expect(json(exportedCredentials, 'aws-v2-export-credentials').AccessKeyId).toBe(accessKey());
      // `configure list` says where each value came from: "iam-role" and "imds" mean IMDS.
      const list = stdoutOf('aws-v2-configure-list');
      expect(/^\s*access_key\s+\*+(\w{4})\s+(\S+)/m.exec(list)?.slice(1)).toEqual([
        accessKey().slice(-4),
        'iam-role',
      ]);
      expect(/^\s*region\s+(\S+)\s+(\S+)/m.exec(list)?.slice(1)).toEqual([
        outcome().imds.region,
        'imds',
      ]);
    });

    it.skipIf(!clients.awsCliV1.found)(`AWS CLI v1 (${nameOf(clients.awsCliV1)})`, () => {
      expectDemoRole(json(callerIdentity, 'aws-v1-sts').Arn);
    });

    it.skipIf(!clients.boto3.found)(`boto3 (${nameOf(clients.boto3)})`, () => {
      const probe = json(boto3Probe, 'boto3');
      expect(probe.method).toBe('iam-role');
      expect(probe.accessKeyId).toBe(accessKey());
      expectDemoRole(probe.arn);
    });

    it.skipIf(!clients.sdkJs.found)(`AWS SDK for JavaScript v3 (${nameOf(clients.sdkJs)})`, () => {
      const probe = json(sdkJsProbe, 'sdk-js');
      expect(probe.imdsAccessKeyId).toBe(accessKey());
      expect(probe.chainAccessKeyId).toBe(accessKey());
      expectDemoRole(probe.arn);
    });

    it.skipIf(!clients.ec2Metadata.found)(
      `ec2-metadata --all (${nameOf(clients.ec2Metadata)})`,
      () => {
        const { imds } = outcome();
        const lines = stdoutOf('ec2-metadata').split('\n');
        expect(lines).toContain(`instance-id: ${imds.instanceId}`);
        expect(lines).toContain(`local-ipv4: ${imds.localIpv4}`);
        expect(lines).toContain(`placement: ${imds.availabilityZone}`);
      },
    );

    it.skipIf(!clients.ec2metadata.found)(`ec2metadata (${nameOf(clients.ec2metadata)})`, () => {
      const { imds } = outcome();
      expect(stdoutOf('ec2metadata').trimEnd().split('\n')).toEqual([
        imds.instanceId,
        imds.availabilityZone,
        imds.localIpv4,
      ]);
    });

    it('stops on SIGTERM', () => {
      const { stopped } = outcome();
      expect(stopped, stopped.stderr).toMatchObject({ forced: false, code: 0 });
    });
  });
});
