/**
 * @guise/agent/standalone — the agent as `guise agent` runs it, for a program that starts one and
 * does nothing else (a supervisor, the benchmark): the config file checked in a short-lived
 * process of its own (`loadConfigInChild`), then `startAgent`. Unlike the main entry, whose
 * `parseConfig` validates in-process, importing this loads neither yaml nor zod, so the process
 * holds only what serving needs.
 */
export { loadConfigInChild } from './config/load-config-in-child.js';
export type { LoadConfigOptions } from './config/load-config.js';
export type { ConfigOverride } from './config/overrides.js';
export type { AgentConfig } from './config/schema.js';
export { startAgent } from './compose/start-agent.js';
export type { RunningAgent } from './compose/start-agent.js';
export type { AgentOverrides } from './compose/build-agent-container.js';
