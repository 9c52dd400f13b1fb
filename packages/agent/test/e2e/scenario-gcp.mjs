// The part of the GCP zero-config test that runs inside the private namespaces (see netns.ts):
// claim 169.254.169.254 on this namespace's loopback, make `metadata.google.internal` resolve to
// it through a hosts file bind-mounted over /etc/hosts in this private mount namespace, start
// `guise dev` on it, read what it serves, run every located GCP client with no metadata
// configuration at all, and print one JSON record per line for zero-config-gcp.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { claimMetadataAddress, METADATA_ADDRESS } from './claim-metadata-address.mjs';
import { readGce } from './read-gce.mjs';
import { runCommand } from './run-command.mjs';
import { startGuiseDev } from './start-guise-dev.mjs';

const plan = JSON.parse(process.env.GUISE_E2E_PLAN ?? '');
const emit = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);

claimMetadataAddress();
resolveMetadataName(plan.home);

// A fresh HOME and gcloud config directory: no account, project or key of the machine's.
const { home } = plan;
const cloudsdkConfig = join(home, 'gcloud');
mkdirSync(cloudsdkConfig);
const clientEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  CLOUDSDK_CONFIG: cloudsdkConfig,
  // Not metadata settings: they keep gcloud from prompting or phoning home (there is no network).
  CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
  CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
  CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
};

const dev = await startGuiseDev(plan.devArgv, plan.startTimeoutMs);
try {
  emit({ type: 'dev', info: dev.info });
  emit({ type: 'gce', facts: await readGce(dev.info.metadataUrl) });
  // One after another: gcloud commands share the config directory they write to.
  for (const { id, argv, env } of plan.clients) {
    const result = await runCommand(argv, {
      env: { ...clientEnv, ...env },
      cwd: home,
      timeoutMs: plan.clientTimeoutMs,
    });
    emit({ type: 'client', id, ...result });
  }
} finally {
  emit({ type: 'dev-stopped', ...(await dev.stop()), stderr: dev.stderr() });
}

/**
 * Refuses to touch /etc/hosts unless this is a mount namespace of its own (unshare -m), then
 * bind-mounts a hosts file naming the metadata server as GCE's resolver does.
 */
function resolveMetadataName(dir) {
  const parent = process.env.GUISE_E2E_PARENT_MNTNS;
  const own = String(statSync('/proc/self/ns/mnt').ino);
  if (!parent || parent === own) {
    throw new Error(`refusing to run: mount namespace ${own} is not a fresh one`);
  }
  const hosts = join(dir, 'hosts');
  writeFileSync(
    hosts,
    `127.0.0.1 localhost\n::1 localhost\n${METADATA_ADDRESS} metadata.google.internal metadata\n`,
  );
  execFileSync('mount', ['--bind', hosts, '/etc/hosts']);
  const resolved = execFileSync('getent', ['hosts', 'metadata.google.internal'], {
    encoding: 'utf8',
  });
  if (!resolved.startsWith(`${METADATA_ADDRESS} `)) {
    throw new Error(`refusing to run: metadata.google.internal resolves to ${resolved}`);
  }
}
