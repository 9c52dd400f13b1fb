import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { LocatedClient } from './clients.js';

/**
 * Finds Debian's Azure clients and @azure/identity. Like clients.ts it runs on the host, so it only asks for versions
 * and imports modules: nothing here may reach 169.254.169.254. `{devInfo}` in an argv is replaced
 * by the `guise dev --json` line inside the namespace.
 */
export function locateAzureClients() {
  return {
    azureCli: locateAzureCli(),
    pythonAzureIdentity: locatePythonAzureIdentity(),
    azureIdentityJs: locateAzureIdentityJs(),
  } satisfies Record<string, LocatedClient>;
}

const AZ = '/usr/bin/az';
const PYTHON = '/usr/bin/python3';

function locateAzureCli(): LocatedClient {
  // `az version` reads only the installed packages; it makes no request with telemetry off.
  const run = spawnSync(AZ, ['version', '--output', 'json'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', AZURE_CORE_COLLECT_TELEMETRY: 'no' },
  });
  const version =
    run.status === 0 ? (JSON.parse(run.stdout) as Record<string, string>)['azure-cli'] : undefined;
  if (!version)
    return { found: false, missing: `no azure-cli at ${AZ}: install Debian package azure-cli` };
  const session = fileURLToPath(new URL('az-session.mjs', import.meta.url));
  return {
    found: true,
    what: `azure-cli ${version} at ${AZ}`,
    runs: [{ id: 'az', argv: [process.execPath, session, '{devInfo}'] }],
  };
}

function locatePythonAzureIdentity(): LocatedClient {
  const run = spawnSync(PYTHON, ['-c', 'import azure.identity as i; print(i.__version__)'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status !== 0) {
    return {
      found: false,
      missing: `${PYTHON} cannot import azure.identity: install Debian package python3-azure`,
    };
  }
  const probe = fileURLToPath(new URL('azure_identity_probe.py', import.meta.url));
  return {
    found: true,
    what: `azure-identity ${run.stdout.trim()} in ${PYTHON}`,
    runs: [{ id: 'python-azure-identity', argv: [PYTHON, probe, '{devInfo}'] }],
  };
}

function locateAzureIdentityJs(): LocatedClient {
  const require = createRequire(import.meta.url);
  let version: string;
  try {
    version = (require('@azure/identity/package.json') as { version: string }).version;
  } catch {
    return {
      found: false,
      missing: '@azure/identity not installed: run `npm install` (agent devDependencies)',
    };
  }
  const probe = fileURLToPath(new URL('azure-sdk-js-probe.mjs', import.meta.url));
  return {
    found: true,
    what: `@azure/identity ${version}`,
    runs: [{ id: 'azure-identity-js', argv: [process.execPath, probe, '{devInfo}'] }],
  };
}
