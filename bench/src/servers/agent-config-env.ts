/** The environment variable through which the parent hands the agent child its config document. */
export const AGENT_CONFIG_ENV = 'GUISE_BENCH_AGENT_CONFIG';
