import { access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevSummary, RunningGuise } from './support/guise-process.js';
import { cleanEnv, run, startGuise } from './support/guise-process.js';

/**
 * The real AWS CLIs, unmodified, against `guise dev` on loopback: each finds credentials through
 * IMDS (AWS_EC2_METADATA_SERVICE_ENDPOINT) and STS says whose they are. Nothing here reaches
 * 169.254.169.254: the endpoint variable is always set, and profiles are /dev/null.
 */
interface AwsCli {
  readonly name: string;
  readonly major: number;
  /** Said when the binary is absent, so whoever reads the test log knows what to install. */
  readonly install: string;
  /** AWS_EC2_METADATA_SERVICE_ENDPOINT spellings the CLI accepts (guise dev prints the first). */
  readonly endpointForms: ReadonlyArray<readonly [label: string, suffix: string]>;
}

const WITH_SLASH = ['with trailing slash, as guise dev prints it', '/'] as const;
const WITHOUT_SLASH = ['without trailing slash', ''] as const;

const CLIS: readonly AwsCli[] = [
  // botocore adds the missing separator itself.
  {
    name: 'AWS CLI v1',
    major: 1,
    install: 'the pip package awscli',
    endpointForms: [WITH_SLASH, WITHOUT_SLASH],
  },
  // Debian's 2.9 joins endpoint and path as they are (`http://127.0.0.1:PORTlatest/api/token`,
  // "Invalid endpoint"): the trailing slash guise dev prints is what makes it work.
  {
    name: 'AWS CLI v2',
    major: 2,
    install: 'the Debian package awscli',
    endpointForms: [WITH_SLASH],
  },
];

/** Every `aws` on PATH (plus pyenv's shims), by the major version it reports. */
async function findAwsClis(): Promise<Map<number, string>> {
  const dirs = [
    ...(process.env.PATH ?? '').split(path.delimiter),
    path.join(os.homedir(), '.pyenv', 'shims'),
    '/usr/bin',
  ];
  const found = new Map<number, string>();
  for (const dir of new Set(dirs.filter(Boolean))) {
    const binary = path.join(dir, 'aws');
    if (
      !(await access(binary, constants.X_OK).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const { code, stdout, stderr } = await run(binary, ['--version'], { timeoutMs: 20_000 });
    // v1 printed its version on stderr in older releases.
    const major = Number(/aws-cli\/(\d+)\./.exec(stdout + stderr)?.[1]);
    if (code === 0 && major && !found.has(major)) found.set(major, binary);
  }
  return found;
}

const binaries = await findAwsClis();
for (const cli of CLIS) {
  if (!binaries.has(cli.major))
    console.warn(`skipping ${cli.name}: not installed; it comes with ${cli.install}`);
}

let dev: RunningGuise;
let summary: DevSummary;

beforeAll(async () => {
  dev = await startGuise(['dev', '--json']);
  summary = JSON.parse(dev.ready) as DevSummary;
}, 30_000);

afterAll(async () => {
  await dev?.stop();
});

describe.each(CLIS)('$name', (cli) => {
  it.for(cli.endpointForms)(
    'aws sts get-caller-identity with credentials from IMDS (endpoint %s)',
    { timeout: 40_000 },
    async ([, slash], { skip }) => {
      const binary = binaries.get(cli.major);
      if (!binary) return skip(`${cli.name} is not installed; it comes with ${cli.install}`);
      const env = cleanEnv({
        ...summary.env,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `${summary.metadataUrl}${slash}`,
        AWS_REGION: 'us-east-1',
      });
      const { code, stdout, stderr } = await run(
        binary,
        ['sts', 'get-caller-identity', '--endpoint-url', summary.stsEndpoint, '--output', 'json'],
        { env, timeoutMs: 30_000 },
      );
      expect(code, stderr).toBe(0);
      const identity = JSON.parse(stdout) as { Account: string; Arn: string };
      console.info(`${cli.name} (${binary}) printed: ${JSON.stringify(identity)}`);
      expect(identity.Account).toBe(summary.accountId);
      expect(identity.Arn).toMatch(
        new RegExp(`^arn:aws:sts::${summary.accountId}:assumed-role/guise-demo/.+$`),
      );
    },
  );
});
