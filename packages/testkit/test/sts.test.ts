import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient, type STSServiceException } from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSts, type FakeVault, startFakeSts, startFakeVault } from '../src/index.js';
import { ManualClock, START_MS } from './support/manual-clock.js';
import { run } from './support/run.js';
import { seedVault } from './support/seed.js';
import { dataOf, vaultFetch } from './support/vault-http.js';

interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

describe('fake STS', () => {
  let clock: ManualClock;
  let vault: FakeVault;
  let sts: FakeSts;
  let appToken: string;

  beforeEach(async () => {
    clock = new ManualClock(START_MS);
    vault = await startFakeVault({ now: clock.now });
    const seed = await seedVault(vault);
    sts = await startFakeSts({ account: vault.aws });
    const login = await vaultFetch(vault.url, 'auth/approle/login', {
      body: { role_id: seed.roleId, secret_id: seed.secretId },
    });
    appToken = String((login.json as { auth: { client_token: string } }).auth.client_token);
  });
  afterEach(async () => {
    await sts.stop();
    await vault.stop();
  });

  /** Credentials as the agent gets them: from the Vault AWS engine. */
  const vaultKeys = async (role: string): Promise<Keys & { arn?: string; leaseId: string }> => {
    const answer = await vaultFetch(vault.url, `aws/creds/${role}`, { token: appToken });
    const data = dataOf(answer) as {
      access_key: string;
      secret_key: string;
      session_token: string | null;
      arn?: string;
    };
    return {
      accessKeyId: data.access_key,
      secretAccessKey: data.secret_key,
      ...(data.session_token !== null && { sessionToken: data.session_token }),
      ...(data.arn !== undefined && { arn: data.arn }),
      leaseId: String((answer.json as { lease_id: string }).lease_id),
    };
  };

  // Region, endpoint and credentials are all explicit: the SDK has nothing to look up elsewhere.
  const callerIdentity = (keys: Keys) =>
    new STSClient({
      region: 'us-east-1',
      endpoint: sts.url,
      credentials: keys,
      maxAttempts: 1,
    }).send(new GetCallerIdentityCommand({}));

  const stsFailure = async (keys: Keys): Promise<STSServiceException> => {
    try {
      await callerIdentity(keys);
    } catch (error) {
      return error as STSServiceException;
    }
    throw new Error('expected GetCallerIdentity to fail');
  };

  describe('with @aws-sdk/client-sts (awsQuery)', () => {
    it('answers GetCallerIdentity for assumed-role keys from Vault with the session ARN', async () => {
      const keys = await vaultKeys('deploy');
      const identity = await callerIdentity(keys);
      expect(identity.Arn).toBe(keys.arn);
      expect(identity.Account).toBe('123456789012');
      expect(identity.UserId).toMatch(
        /^AROA[A-Z2-7]{17}:vault-approle-deploy-1750003200-[0-9A-Za-z]{20}$/,
      );
      expect(identity.$metadata.httpStatusCode).toBe(200);
    });

    it('answers for iam_user keys with the user ARN, and refuses them once the lease is revoked', async () => {
      const keys = await vaultKeys('legacy');
      const identity = await callerIdentity(keys);
      expect(identity.Arn).toMatch(/^arn:aws:iam::123456789012:user\/vault-approle-legacy-/);
      expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
      await vaultFetch(vault.url, 'sys/leases/revoke', {
        token: vault.rootToken,
        method: 'PUT',
        body: { lease_id: keys.leaseId },
      });
      const revoked = await stsFailure(keys);
      expect(revoked.name).toBe('InvalidClientTokenId');
    });

    it('refuses new iam_user keys with InvalidClientTokenId until they have propagated', async () => {
      vault.aws.propagationDelayMs = 8_000;
      const keys = await vaultKeys('legacy');
      expect((await stsFailure(keys)).name).toBe('InvalidClientTokenId');
      clock.advance(7_999);
      expect((await stsFailure(keys)).name).toBe('InvalidClientTokenId');
      clock.advance(1);
      expect((await callerIdentity(keys)).Arn).toMatch(/:user\/vault-approle-legacy-/);
      // STS credentials are usable at once.
      expect((await callerIdentity(await vaultKeys('deploy'))).Arn).toMatch(/:assumed-role\//);
      // Every key and session token is remembered, deleted ones too.
      const deploy = await vaultKeys('deploy');
      vault.aws.deleteUser(String(vault.aws.findAccessKey(keys.accessKeyId)?.userName));
      expect(vault.aws.issuedSecrets()).toEqual(
        expect.arrayContaining([keys.secretAccessKey, deploy.secretAccessKey, deploy.sessionToken]),
      );
    });

    it('caps chained assumed roles at one hour with AWS’s words, through Vault’s 400', async () => {
      vault.aws.roleChaining = true;
      const refused = await vaultFetch(vault.url, 'aws/sts/deploy', {
        token: appToken,
        body: { ttl: '2h' },
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({
        errors: [
          expect.stringMatching(
            /^Error assuming role: ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining\.\n\tstatus code: 400, request id: /,
          ),
        ],
      });
      const hour = await vaultFetch(vault.url, 'aws/sts/deploy', {
        token: appToken,
        body: { ttl: '1h' },
      });
      expect(hour.status).toBe(200);
    });

    it('refuses a tampered secret with SignatureDoesNotMatch', async () => {
      const keys = await vaultKeys('deploy');
      const tampered = {
        ...keys,
        secretAccessKey: `${keys.secretAccessKey.slice(0, -1)}${keys.secretAccessKey.endsWith('A') ? 'B' : 'A'}`,
      };
      const error = await stsFailure(tampered);
      expect(error.name).toBe('SignatureDoesNotMatch');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toBe(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    });

    it('refuses keys past their expiration on the moved clock with ExpiredToken', async () => {
      const keys = await vaultKeys('deploy');
      clock.advance(3600_000);
      const error = await stsFailure(keys);
      expect(error.name).toBe('ExpiredToken');
      expect(error.message).toBe('The security token included in the request is expired');
      expect(error.$metadata.httpStatusCode).toBe(403);
    });

    it('refuses an unknown key, and a temporary key without its session token, with InvalidClientTokenId', async () => {
      const unknown = await stsFailure({
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      });
      expect(unknown.name).toBe('InvalidClientTokenId');
      expect(unknown.message).toBe('The security token included in the request is invalid.');
      const keys = await vaultKeys('deploy');
      const withoutToken = await stsFailure({
        accessKeyId: keys.accessKeyId,
        secretAccessKey: keys.secretAccessKey,
      });
      expect(withoutToken.name).toBe('InvalidClientTokenId');
    });
  });

  describe('on the wire', () => {
    it('answers the query-string GET form, in STS XML with text/xml', async () => {
      const keys = await vaultKeys('federated');
      const url = new URL(sts.url);
      const signer = new SignatureV4({
        credentials: keys,
        region: 'eu-west-1',
        service: 'sts',
        sha256: Sha256,
      });
      const signed = await signer.sign({
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: url.host },
      });
      const response = await fetch(`${sts.url}/?Action=GetCallerIdentity&Version=2011-06-15`, {
        headers: signed.headers,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml');
      const xml = await response.text();
      expect(xml).toMatch(
        /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\n {2}<GetCallerIdentityResult>\n {4}<Arn>arn:aws:sts::123456789012:federated-user\/vault-1750003200-[0-9A-Za-z]{15}<\/Arn>\n {4}<UserId>123456789012:vault-1750003200-[0-9A-Za-z]{15}<\/UserId>\n {4}<Account>123456789012<\/Account>\n {2}<\/GetCallerIdentityResult>\n {2}<ResponseMetadata>\n {4}<RequestId>[0-9a-f-]{36}<\/RequestId>\n {2}<\/ResponseMetadata>\n<\/GetCallerIdentityResponse>\n$/,
      );
      expect(response.headers.get('x-amzn-requestid')).toBe(
        /<RequestId>(.*)<\/RequestId>/.exec(xml)?.[1],
      );
    });

    it('answers an unsigned request with AWS’s XML error envelope', async () => {
      const response = await fetch(sts.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(
        /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\n {2}<Error>\n {4}<Type>Sender<\/Type>\n {4}<Code>MissingAuthenticationToken<\/Code>\n {4}<Message>Request is missing Authentication Token<\/Message>\n {2}<\/Error>\n {2}<RequestId>[0-9a-f-]{36}<\/RequestId>\n<\/ErrorResponse>\n$/,
      );
    });

    it('refuses a signature scoped to another service', async () => {
      const keys = await vaultKeys('deploy');
      const url = new URL(sts.url);
      const signer = new SignatureV4({
        credentials: keys,
        region: 'us-east-1',
        service: 'iam',
        sha256: Sha256,
      });
      const signed = await signer.sign({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        path: '/',
        query: {},
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      const response = await fetch(sts.url, {
        method: 'POST',
        headers: signed.headers,
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(
        "<Message>Credential should be scoped to correct service: 'sts'. </Message>",
      );
    });
  });

  describe('with the AWS CLI (botocore), in a child process', () => {
    let home: string;
    beforeAll(async () => {
      home = await mkdtemp(join(tmpdir(), 'guise-awscli-'));
    });
    afterAll(() => rm(home, { recursive: true, force: true }));

    // Explicit keys, region, endpoint and no config files: nothing for the CLI to look up.
    const cliEnv = (keys: Keys): Record<string, string> => ({
      PATH: '/usr/bin:/bin',
      HOME: home,
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      ...(keys.sessionToken !== undefined && { AWS_SESSION_TOKEN: keys.sessionToken }),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    });

    for (const [name, cli] of [
      ['AWS CLI v2 (Debian awscli)', '/usr/bin/aws'],
      ['AWS CLI v1 (pip awscli, botocore 1.43)', '/root/.pyenv/shims/aws'],
    ] as const) {
      if (!existsSync(cli)) console.warn(`${name} tests skipped: ${cli} is not installed.`);
      it.skipIf(!existsSync(cli))(
        `${name}: sts get-caller-identity succeeds with Vault keys and fails with ExpiredToken later`,
        async () => {
          const keys = await vaultKeys('deploy');
          const args = [
            'sts',
            'get-caller-identity',
            '--endpoint-url',
            sts.url,
            '--region',
            'us-east-1',
            '--output',
            'json',
          ];
          const env = {
            ...cliEnv(keys),
            ...(cli.includes('pyenv') && {
              PATH: '/root/.pyenv/shims:/usr/bin:/bin',
              PYENV_ROOT: '/root/.pyenv',
            }),
          };
          const ok = await run(cli, args, env);
          expect(ok.stderr).toBe('');
          expect(JSON.parse(ok.stdout)).toEqual({
            UserId: expect.stringMatching(/^AROA/) as unknown,
            Account: '123456789012',
            Arn: keys.arn,
          });

          clock.advance(3600_000);
          const expired = await run(cli, args, env);
          expect(expired.code).not.toBe(0);
          expect(expired.stderr).toContain(
            '(ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired',
          );
        },
      );
    }
  });
});
