import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executablesOnPath, firstLineOf } from './clients.js';

/**
 * Finds the real GCP clients on this machine and says how the GCP scenario runs each. Runs on the
 * host, so it only reads files and imports Python modules. It never runs gcloud: any gcloud
 * command, `gcloud version` included, may first check for a GCE metadata server (gce_cache.py).
 */

/** One command of the GCP scenario, with extra variables (never metadata endpoint settings). */
export interface GcpClientRun {
  id: string;
  argv: string[];
  env?: Record<string, string>;
}

export type LocatedGcpClient =
  { found: true; what: string; runs: GcpClientRun[] } | { found: false; missing: string };

/** The audience every ID token is asked for. */
export const AUDIENCE = 'https://guise.example';

const PROBE = fileURLToPath(new URL('google_auth_probe.py', import.meta.url));
const SDK_ROOT = '/usr/lib/google-cloud-sdk';
const BUNDLED_PYTHON = `${SDK_ROOT}/platform/bundledpythonunix/bin/python3`;
const BUNDLED_LIBS = `${SDK_ROOT}/lib/third_party`;
const DEBIAN_PYTHON = '/usr/bin/python3';

export function locateGcpClients() {
  return {
    gcloud: locateGcloud(),
    bundledGoogleAuth: locateBundledGoogleAuth(),
    debianGoogleAuth: locateDebianGoogleAuth(),
  } satisfies Record<string, LocatedGcpClient>;
}

function locateGcloud(): LocatedGcpClient {
  const [gcloud] = executablesOnPath('gcloud');
  // bin/gcloud inside the SDK, whose VERSION file says which release it is.
  const versionFile = gcloud && `${dirname(dirname(realpathSync(gcloud)))}/VERSION`;
  if (!gcloud || !versionFile || !existsSync(versionFile)) {
    return { found: false, missing: 'no gcloud on PATH: install the Google Cloud CLI' };
  }
  return {
    found: true,
    what: `Google Cloud SDK ${readFileSync(versionFile, 'utf8').trim()} at ${gcloud}`,
    runs: [
      { id: 'gcloud-config-list', argv: [gcloud, 'config', 'list', '--format=json'] },
      { id: 'gcloud-access-token', argv: [gcloud, 'auth', 'print-access-token'] },
      {
        id: 'gcloud-identity-token',
        argv: [gcloud, 'auth', 'print-identity-token', `--audiences=${AUDIENCE}`],
      },
    ],
  };
}

/** gcloud's own interpreter and its vendored google-auth (2.39 in gcloud 528). */
function locateBundledGoogleAuth(): LocatedGcpClient {
  const env = { PYTHONPATH: BUNDLED_LIBS };
  const version =
    existsSync(BUNDLED_PYTHON) &&
    firstLineOf([BUNDLED_PYTHON, '-c', 'import google.auth; print(google.auth.__version__)'], env);
  if (!version) {
    return {
      found: false,
      missing: `no google-auth bundled with gcloud at ${BUNDLED_LIBS}: install the Google Cloud CLI`,
    };
  }
  return {
    found: true,
    what: `google-auth ${version} bundled with gcloud`,
    runs: [{ id: 'bundled-google-auth', argv: [BUNDLED_PYTHON, PROBE, AUDIENCE], env }],
  };
}

function locateDebianGoogleAuth(): LocatedGcpClient {
  const found = firstLineOf([
    DEBIAN_PYTHON,
    '-c',
    'import google.auth.compute_engine, google.auth.transport.requests; print(google.auth.__file__)',
  ]);
  if (!found?.startsWith('/usr/lib/python3/dist-packages/')) {
    return {
      found: false,
      missing: `${DEBIAN_PYTHON} has no Debian google-auth: install Debian packages python3-google-auth python3-requests`,
    };
  }
  return {
    found: true,
    what: `Debian python3-google-auth (${found})`,
    runs: [{ id: 'debian-google-auth', argv: [DEBIAN_PYTHON, PROBE, AUDIENCE] }],
  };
}
