import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigInChild, startAgent } from '@guise/agent/standalone';
import { tellParent } from '../children/child-messages.js';
import { AGENT_CONFIG_ENV } from './agent-config-env.js';

// The agent as `guise agent --config FILE` runs it (the config checked in a process of its own,
// then `startAgent`), configured by the parent through the environment. `@guise/agent/standalone`
// rather than the main entry, whose in-process `parseConfig` would keep yaml and zod resident and
// count them in the idle RSS.
const file = path.join(tmpdir(), `guise-bench-agent-${process.pid}.json`);
await writeFile(file, process.env[AGENT_CONFIG_ENV] ?? '{}', { mode: 0o600 });
// No environment overrides: the config is exactly the parent's, whatever VAULT_ADDR the shell has.
const config = await loadConfigInChild(file, { env: {} });
await rm(file);
const agent = await startAgent(config);
tellParent({ type: 'listening', url: agent.url });
await agent.ready;
tellParent({ type: 'ready' });
process.on('SIGINT', () => {
  void agent.stop().then(() => process.exit(0));
});
