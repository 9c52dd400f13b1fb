// The part of the zero-config test that runs inside the private namespace (see netns.ts): claim
// 169.254.169.254 on this namespace's loopback, start `guise dev` on it, read what it serves, run
// every located client against it with no IMDS configuration at all, and print one JSON record
// per line for zero-config.test.ts to assert on. The plan (which clients, which modes) comes from
// the test in GUISE_E2E_PLAN; see scenario-runner.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { claimMetadataAddress } from './claim-metadata-address.mjs';
import { readImds } from './read-imds.mjs';
import { runCommand } from './run-command.mjs';
import { startGuiseDev } from './start-guise-dev.mjs';

const plan = JSON.parse(process.env.GUISE_E2E_PLAN ?? '');
const emit = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);

claimMetadataAddress();

// A fresh HOME (made empty by the caller) and empty config files, so neither ~/.aws of the
// machine nor any profile can point a client anywhere: what the clients find, they find by the
// default IMDS address alone.
const { home } = plan;
const emptyConfig = join(home, 'aws-config');
const emptyCredentials = join(home, 'aws-credentials');
writeFileSync(emptyConfig, '');
writeFileSync(emptyCredentials, '');
const clientEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  AWS_CONFIG_FILE: emptyConfig,
  AWS_SHARED_CREDENTIALS_FILE: emptyCredentials,
};

for (const mode of plan.modes) {
  const dev = await startGuiseDev([...plan.devArgv, ...mode.devFlags], plan.startTimeoutMs);
  try {
    emit({ type: 'dev', mode: mode.name, info: dev.info });
    emit({ type: 'imds', mode: mode.name, facts: await readImds(dev.info.metadataUrl) });
    // Concurrently: the file stays fast, and an agent on a real host must cope with that too.
    const results = await Promise.all(
      plan.clients.map(async ({ id, argv }) => {
        const filled = argv.map((arg) =>
          arg
            .replaceAll('{stsEndpoint}', dev.info.stsEndpoint)
            .replaceAll('{devInfo}', JSON.stringify(dev.info)),
        );
        const result = await runCommand(filled, {
          env: clientEnv,
          cwd: home,
          timeoutMs: plan.clientTimeoutMs,
        });
        return { id, ...result };
      }),
    );
    for (const result of results) emit({ type: 'client', mode: mode.name, ...result });
  } finally {
    emit({ type: 'dev-stopped', mode: mode.name, ...(await dev.stop()), stderr: dev.stderr() });
  }
}
