import { parseConfig, startAgent } from '@guise/agent';
import { tellParent } from '../children/child-messages.js';
import { AGENT_CONFIG_ENV } from './agent-config-env.js';

// The agent as production starts it (`startAgent`), configured by the parent through the environment.
const config = parseConfig(JSON.parse(process.env[AGENT_CONFIG_ENV] ?? '{}'), {
  source: 'benchmark',
});
const agent = await startAgent(config);
tellParent({ type: 'listening', url: agent.url });
await agent.ready;
tellParent({ type: 'ready' });
process.on('SIGINT', () => {
  void agent.stop().then(() => process.exit(0));
});
