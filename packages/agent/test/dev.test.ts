import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import * as gcpMetadata from 'gcp-metadata';
import { ManagedIdentityCredential } from '@azure/identity';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevSummary, RunningGuise } from './support/guise-process.js';
import { cleanEnv, GUISE_CLI, logLines, runGuise, startGuise } from './support/guise-process.js';

/** Every variable an Azure SDK reads to choose its credential; unset unless a test sets it. */
const AZURE_UNSET = Object.fromEntries(
  [
    'AZURE_CLIENT_ID',
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_FEDERATED_TOKEN_FILE',
    'IDENTITY_ENDPOINT',
    'IDENTITY_HEADER',
    'IMDS_ENDPOINT',
    'MSI_ENDPOINT',
    'MSI_SECRET',
  ].map((name) => [name, undefined]),
);

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Runs `task` with `vars` set in process.env (undefined = unset), restoring the caller's values after. */
async function withEnv<T>(
  vars: Record<string, string | undefined>,
  task: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
  assign(vars);
  try {
    return await task();
  } finally {
    assign(saved);
  }
}

let dev: RunningGuise;
let summary: DevSummary;

beforeAll(async () => {
  dev = await startGuise(['dev', '--json']);
  summary = JSON.parse(dev.ready) as DevSummary;
}, 30_000);

afterAll(async () => {
  await dev?.stop('SIGKILL');
});

describe('guise dev --json', () => {
  it('prints one JSON line: loopback endpoints, the root token, the role and the client variables', async () => {
    const loopback = /^http:\/\/127\.0\.0\.1:\d+$/;
    expect(summary.metadataUrl).toMatch(loopback);
    expect(summary.vaultAddr).toMatch(loopback);
    expect(summary.stsEndpoint).toMatch(loopback);
    expect(summary.vaultToken).not.toBe('');
    expect(summary.roles).toEqual(['guise-demo']);
    expect(summary.accountId).toMatch(/^\d{12}$/);
    expect(summary.env).toMatchObject({
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `${summary.metadataUrl}/`,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_STS: summary.stsEndpoint,
    });
    // Nothing else on stdout: a script may read it line by line.
    expect(dev.output().stdout).toBe(`${dev.ready}\n`);
  });

  it.each([
    ['with', '/'],
    ['without', ''],
  ])(
    'AWS SDK for JavaScript v3: fromInstanceMetadata (endpoint %s trailing slash) gets credentials STS accepts',
    async (_, slash) => {
      const credentials = await withEnv(
        {
          AWS_EC2_METADATA_SERVICE_ENDPOINT: `${summary.metadataUrl}${slash}`,
          AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: undefined,
          AWS_EC2_METADATA_DISABLED: undefined,
          AWS_PROFILE: undefined,
        },
        () => fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })(),
      );
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
      expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);

      const sts = new STSClient({
        region: 'us-east-1',
        endpoint: summary.stsEndpoint,
        credentials,
      });
      try {
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        expect(identity.Account).toBe(summary.accountId);
        expect(identity.Arn).toMatch(
          new RegExp(`^arn:aws:sts::${summary.accountId}:assumed-role/guise-demo/.+$`),
        );
      } finally {
        sts.destroy();
      }
    },
    15_000,
  );

  it('gives gcp-metadata the GCE variables it needs, and a token Google’s tokeninfo knows', async () => {
    const host = /^127\.0\.0\.1:\d+$/;
    expect(summary.env).toMatchObject({
      GCE_METADATA_HOST: expect.stringMatching(host),
      GCE_METADATA_IP: expect.stringMatching(host),
      GCE_METADATA_ROOT: expect.stringMatching(host),
    });
    const { GCE_METADATA_HOST, GCE_METADATA_IP, GCE_METADATA_ROOT } = summary.env;
    const served = await withEnv(
      { GCE_METADATA_HOST, GCE_METADATA_IP, GCE_METADATA_ROOT },
      async () => {
        gcpMetadata.resetIsAvailableCache();
        return {
          available: await gcpMetadata.isAvailable(),
          project: await gcpMetadata.project('project-id'),
          email: await gcpMetadata.instance('service-accounts/default/email'),
          token: (await gcpMetadata.instance('service-accounts/default/token')) as {
            access_token: string;
          },
        };
      },
    );
    expect(served).toMatchObject({
      available: true,
      project: summary.gcp.projectId,
      email: summary.gcp.serviceAccount,
    });
    const info = await fetch(
      `${summary.gcp.googleApis}/oauth2/v3/tokeninfo?access_token=${served.token.access_token}`,
    );
    expect(await info.json()).toMatchObject({ email: summary.gcp.serviceAccount });
  });

  it('serves the demo role under the metadata tree a curl user would walk', async () => {
    const listing = await fetch(
      `${summary.metadataUrl}/latest/meta-data/iam/security-credentials/`,
    );
    expect(await listing.text()).toBe('guise-demo');
    const body = (await (
      await fetch(`${summary.metadataUrl}/latest/meta-data/iam/security-credentials/guise-demo`)
    ).json()) as Record<string, string>;
    expect(body).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
    expect(body.Token).toBeTruthy();
  });

  it('its Azure entries serve @azure/identity the demo identities (env and the App Service pair)', async () => {
    const { tenantId, identities } = summary.azure;
    const userClientId = identities.find((identity) => !identity.systemAssigned)?.clientId;
    expect(summary.env['AZURE_POD_IDENTITY_AUTHORITY_HOST']).toBe(summary.metadataUrl);
    const tokenOf = (env: Record<string, string | undefined>, clientId?: string) =>
      withEnv({ ...AZURE_UNSET, ...env }, () =>
        new ManagedIdentityCredential(clientId ? { clientId } : {}).getToken(
          'https://management.azure.com/.default',
        ),
      );
    const system = claimsOf(
      (
        await tokenOf({
          AZURE_POD_IDENTITY_AUTHORITY_HOST: summary.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'],
        })
      ).token,
    );
    expect(system['tid']).toBe(tenantId);
    const user = claimsOf(
      (
        await tokenOf(
          { AZURE_POD_IDENTITY_AUTHORITY_HOST: summary.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'] },
          userClientId,
        )
      ).token,
    );
    expect(user['tid']).toBe(tenantId);
    expect(user['oid']).not.toBe(system['oid']);
    // The App Service pair, asked directly (msal-node keeps the first source it detected).
    const appService = await fetch(
      `${summary.azure.appService.endpoint}?api-version=2019-08-01&resource=https://vault.azure.net`,
      { headers: { 'X-IDENTITY-HEADER': summary.azure.appService.header } },
    );
    const body = (await appService.json()) as Record<string, string>;
    expect(claimsOf(body['access_token'] ?? '')).toMatchObject({
      tid: tenantId,
      oid: system['oid'],
    });
  });

  it('ends on SIGTERM with exit 0 within two seconds, logging the shutdown once', async () => {
    const { code, elapsedMs, stderr } = await dev.stop('SIGTERM');
    expect(code).toBe(0);
    expect(elapsedMs).toBeLessThan(2000);
    expect(logLines(stderr).filter((line) => line.msg === 'shutting down')).toHaveLength(1);
    expect(stderr).not.toContain(summary.vaultToken);
  });
});

describe('guise dev', () => {
  it('prints the shell lines that point a client at it', async () => {
    const text = await startGuise(['dev'], {
      readyWhen: ({ stdout }) => (stdout.includes('Stop with Ctrl-C.\n') ? stdout : undefined),
    });
    try {
      const lines = text.ready.split('\n');
      expect(lines[0]).toBe('guise dev is running. In another shell:');
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^ {2}export AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:\d+\/$/,
        ),
      );
      expect(lines).toContainEqual('  export AWS_REGION=us-east-1');
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^ {2}aws sts get-caller-identity --endpoint-url http:\/\/127\.0\.0\.1:\d+$/,
        ),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^ {2}curl -s http:\/\/127\.0\.0\.1:\d+\/latest\/meta-data\/iam\/security-credentials\/guise-demo$/,
        ),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^Vault \(dev, in memory\): VAULT_ADDR=http:\/\/127\.0\.0\.1:\d+ VAULT_TOKEN=\S+$/,
        ),
      );
    } finally {
      expect((await text.stop('SIGINT')).code).toBe(0);
    }
  }, 30_000);
});

describe('guise dev --tokens required', () => {
  it('refuses tokenless requests as EC2 does with HttpTokens=required; the JS SDK still gets credentials', async () => {
    const strict = await startGuise(['dev', '--json', '--tokens', 'required']);
    try {
      const { metadataUrl, tokens } = JSON.parse(strict.ready) as DevSummary;
      expect(tokens).toBe('required');
      expect(
        (await fetch(`${metadataUrl}/latest/meta-data/iam/security-credentials/`)).status,
      ).toBe(401);
      const credentials = await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: metadataUrl }, () =>
        fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })(),
      );
      expect(credentials.sessionToken).toBeTruthy();
    } finally {
      expect((await strict.stop()).code).toBe(0);
    }
  }, 30_000);

  it('rejects an unknown mode as bad usage', async () => {
    const { code, stderr } = await runGuise(['dev', '--tokens', 'sometimes']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "argument 'sometimes' is invalid. Allowed choices are optional, required, disabled.",
    );
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('guise dev on a terminal (util-linux `script` gives it one)', () => {
  it('logs readable text lines, as guise agent does with log.format auto, not JSON', async () => {
    // Under journald `auto` means JSON whatever the terminal: this test asks about the terminal.
    const env = cleanEnv();
    delete env.JOURNAL_STREAM;
    const dev = spawn('script', ['-qefc', `${process.execPath} ${GUISE_CLI} dev`, '/dev/null'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    dev.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const closed = once(dev, 'close');
    const deadline = Date.now() + 15_000;
    while (!output.includes('guise dev is running') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(-(dev.pid ?? 0), 'SIGINT');
    await closed;
    const lines = output.split(/\r?\n/);
    expect(lines).toContainEqual(expect.stringMatching(/^\S+ \S+ INFO {2}vault login succeeded /));
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
  });
});
