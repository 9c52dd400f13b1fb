import type { ImdsTokenMode } from '@guise/provider-aws';

/**
 * EC2's HttpTokens settings, as `aws.tokens`, `guise dev --tokens` and `startEmulator` accept them.
 * A module of its own, importing nothing at run time, so that the CLI can name them without
 * loading the config schema (zod) into the agent's process.
 */
export const IMDS_TOKEN_MODES = [
  'optional',
  'required',
  'disabled',
] as const satisfies readonly ImdsTokenMode[];

/** EC2's own default: IMDSv1 and IMDSv2 both. */
export const DEFAULT_IMDS_TOKENS = 'optional' satisfies ImdsTokenMode;
