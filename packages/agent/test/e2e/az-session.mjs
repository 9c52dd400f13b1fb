// Runs azure-cli the way a user on an Azure VM would, in order, in a fresh AZURE_CONFIG_DIR:
// `az login --identity`, `az account get-access-token`, then the same with the user-assigned
// identity (`-u <client id>`). azure-cli 2.45 hard-codes 169.254.169.254 for the token (no
// setting); only its ARM calls are pointed at the fake cloud, through a custom cloud and the
// fake's CA (REQUESTS_CA_BUNDLE). Prints one JSON object: every step's argv, exit code and output.
// argv[2]: `guise dev --json` output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const AZ = '/usr/bin/az';
const dev = JSON.parse(process.argv[2] ?? '{}');
const { cloudUrl, caFile, identities } = dev.azure;
const userClientId = identities.find((identity) => !identity.systemAssigned).clientId;

const env = {
  ...process.env,
  AZURE_CONFIG_DIR: mkdtempSync(join(process.env.HOME, 'azure-config-')),
  REQUESTS_CA_BUNDLE: caFile,
  AZURE_CORE_COLLECT_TELEMETRY: 'no',
  AZURE_CORE_NO_COLOR: 'true',
  AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
};

const steps = [];
const az = (id, ...args) => {
  const run = spawnSync(AZ, args, { env, encoding: 'utf8', timeout: 60_000 });
  const step = {
    id,
    argv: [AZ, ...args],
    exitCode: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
  };
  steps.push(step);
  return run.status === 0;
};

// All four endpoints given, so that az does not fetch `<arm>/metadata/endpoints` (msrestazure
// `_populate_from_metadata_endpoint`); the AD resource is the public cloud's, as az sends it.
const ready =
  az(
    'cloud-register',
    'cloud',
    'register',
    '--name',
    'GuiseFakeCloud',
    '--endpoint-resource-manager',
    `${cloudUrl}/`,
    '--endpoint-active-directory',
    cloudUrl,
    '--endpoint-active-directory-resource-id',
    'https://management.core.windows.net/',
    '--endpoint-active-directory-graph-resource-id',
    'https://graph.windows.net/',
    '--endpoint-management',
    'https://management.core.windows.net/',
  ) && az('cloud-set', 'cloud', 'set', '--name', 'GuiseFakeCloud');

if (ready && az('login-system', 'login', '--identity', '--output', 'json')) {
  az('token-system', 'account', 'get-access-token', '--output', 'json');
}
if (ready && az('login-user', 'login', '--identity', '-u', userClientId, '--output', 'json')) {
  az(
    'token-user',
    'account',
    'get-access-token',
    '--resource',
    'https://vault.azure.net',
    '--output',
    'json',
  );
}
process.stdout.write(`${JSON.stringify({ steps })}\n`);
