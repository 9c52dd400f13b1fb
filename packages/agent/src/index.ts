/**
 * @guise/agent — the composition root of guise: a YAML config (`config/`), the tsyringe wiring of
 * core and providers per agent instance (`compose/`), the `guise` CLI (`cli/`) and the local demo
 * environment behind `guise dev` (`dev/`). It only composes: wire formats live in the providers.
 */
export { loadConfig, parseConfig } from './config/load-config.js';
export { loadConfigInChild } from './config/load-config-in-child.js';
export type { LoadConfigOptions, ParseConfigOptions } from './config/load-config.js';
export { ConfigError } from './config/config-error.js';
export type { ConfigOverride } from './config/overrides.js';
export { DEFAULT_LISTEN } from './config/schema.js';
export type { AgentConfig, AgentConfigInput, AwsConfig, VaultConfig } from './config/schema.js';
export type { SecretRef } from './config/schema-parts.js';
export { parseDurationSeconds } from './config/duration.js';

export { startAgent } from './compose/start-agent.js';
export type { RunningAgent } from './compose/start-agent.js';
export type { AgentOverrides } from './compose/build-agent-container.js';

export { startDevEnvironment } from './dev/start-dev-environment.js';
export type { DevEnvironment, DevEnvironmentOptions } from './dev/start-dev-environment.js';

export { startEmulator } from './embed/start-emulator.js';
export type { EmulatorOptions, RunningEmulator } from './embed/start-emulator.js';
export type { AwsEmulation, AwsCredentialCallback } from './embed/aws-emulation.js';
// The dev backends and seeding, for benchmarks and tests that stand up the same Vault as `guise dev`.
export { startDevBackends } from './dev/dev-backends.js';
export type { DevBackends, DevBackendsOptions } from './dev/dev-backends.js';
export { devCloudSections } from './dev/dev-cloud-sections.js';
export type { DevCloudOptions } from './dev/dev-cloud-sections.js';
export { DEMO_ROLE, seedVault } from './dev/seed-vault.js';
export type { SeedOptions, SeededAppRole } from './dev/seed-vault.js';
export { VaultOperator } from './dev/vault-operator.js';
export type { GcpEmulation } from './embed/gcp-emulation.js';
export type { AzureEmulation, AzureEmulatedIdentity } from './embed/azure-emulation.js';
export type { CredentialCallback, CredentialInput } from './embed/credential-input.js';
