import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the real AWS clients on this machine and says how the scenario runs each of them. Runs on
 * the host, so it must never start anything that could reach 169.254.169.254: it only asks for
 * versions and imports modules. (`ec2-metadata` fetches a token before it even parses `--help`,
 * so it is located by path alone.)
 */

/** One command the scenario runs; `{stsEndpoint}` is replaced by the fake STS's URL. */
export interface ClientRun {
  id: string;
  argv: string[];
}

export type LocatedClient =
  { found: true; what: string; runs: ClientRun[] } | { found: false; missing: string };

/** `aws sts get-caller-identity`, signed with whatever credentials the CLI found by itself. */
const STS_ARGS = [
  'sts',
  'get-caller-identity',
  '--endpoint-url',
  '{stsEndpoint}',
  '--region',
  'us-east-1',
  '--output',
  'json',
];
const DEBIAN_AWS_CLI = '/usr/bin/aws';

export function locateClients() {
  return {
    awsCliV2: locateAwsCliV2(),
    awsCliV1: locateAwsCliV1(),
    boto3: locateBoto3(),
    ec2Metadata: locateByName('ec2-metadata', ['--all'], 'amazon-ec2-utils'),
    ec2metadata: locateByName(
      'ec2metadata',
      ['--instance-id', '--availability-zone', '--local-ipv4'],
      'cloud-utils',
    ),
    sdkJs: locateSdkJs(),
  } satisfies Record<string, LocatedClient>;
}

function locateAwsCliV2(): LocatedClient {
  const version = firstLineOf([DEBIAN_AWS_CLI, '--version']);
  if (!version?.startsWith('aws-cli/2.')) {
    return {
      found: false,
      missing: `no AWS CLI v2 at ${DEBIAN_AWS_CLI}: install Debian package awscli`,
    };
  }
  return {
    found: true,
    what: `${version.split(' ')[0]} at ${DEBIAN_AWS_CLI}`,
    runs: [
      { id: 'aws-v2-sts', argv: [DEBIAN_AWS_CLI, ...STS_ARGS] },
      {
        id: 'aws-v2-export-credentials',
        argv: [DEBIAN_AWS_CLI, 'configure', 'export-credentials'],
      },
      // `configure list` names where the CLI found the credentials: "iam-role" means IMDS.
      { id: 'aws-v2-configure-list', argv: [DEBIAN_AWS_CLI, 'configure', 'list'] },
    ],
  };
}

/** The pip-installed v1 is whichever other `aws` on PATH reports aws-cli/1.x (e.g. a pyenv shim). */
function locateAwsCliV1(): LocatedClient {
  const debian = realpathOrSelf(DEBIAN_AWS_CLI);
  for (const candidate of executablesOnPath('aws')) {
    if (realpathOrSelf(candidate) === debian) continue;
    const version = firstLineOf([candidate, '--version']);
    if (version?.startsWith('aws-cli/1.')) {
      return {
        found: true,
        what: `${version.split(' ')[0]} at ${candidate}`,
        runs: [{ id: 'aws-v1-sts', argv: [candidate, ...STS_ARGS] }],
      };
    }
  }
  return { found: false, missing: 'no pip AWS CLI v1 on PATH: `pip install awscli`' };
}

/** Debian's /usr/bin/python3 may lack boto3 while pyenv's has it: use the first that imports it. */
function locateBoto3(): LocatedClient {
  const probe = fileURLToPath(new URL('boto3_probe.py', import.meta.url));
  for (const python of new Set([...executablesOnPath('python3'), '/usr/bin/python3'])) {
    const found = firstLineOf([
      python,
      '-c',
      'import sys, boto3; print(boto3.__version__, sys.executable)',
    ]);
    if (found) {
      const [version, ...rest] = found.split(' ');
      const executable = rest.join(' ');
      return {
        found: true,
        what: `boto3 ${version} in ${executable}`,
        runs: [{ id: 'boto3', argv: [executable, probe, '{stsEndpoint}'] }],
      };
    }
  }
  return {
    found: false,
    missing: 'no python3 imports boto3: install Debian package python3-boto3',
  };
}

function locateByName(name: string, args: string[], debianPackage: string): LocatedClient {
  const [path] = executablesOnPath(name);
  if (!path)
    return { found: false, missing: `no ${name} on PATH: install Debian package ${debianPackage}` };
  return { found: true, what: path, runs: [{ id: name, argv: [path, ...args] }] };
}

function locateSdkJs(): LocatedClient {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@aws-sdk/credential-providers');
    require.resolve('@aws-sdk/client-sts');
  } catch {
    return {
      found: false,
      missing: 'AWS SDK v3 not installed: run `npm install` (agent devDependencies)',
    };
  }
  const probe = fileURLToPath(new URL('sdk-js-probe.mjs', import.meta.url));
  const version = (require('@aws-sdk/credential-providers/package.json') as { version: string })
    .version;
  return {
    found: true,
    what: `@aws-sdk/credential-providers ${version}`,
    runs: [{ id: 'sdk-js', argv: [process.execPath, probe, '{stsEndpoint}'] }],
  };
}

export function executablesOnPath(name: string): string[] {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .filter((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** First line of a command's stdout (with `env` added to ours), or undefined if it cannot run or fails. */
export function firstLineOf(argv: string[], env?: Record<string, string>): string | undefined {
  const [file = '', ...args] = argv;
  const run = spawnSync(file, args, {
    encoding: 'utf8',
    timeout: 10_000,
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  if (run.status !== 0) return undefined;
  return run.stdout.trim().split('\n')[0];
}
