import { IMDS_TOKEN_MODES } from '../config/imds-token-modes.js';
import type { EmulatorOptions } from './start-emulator.js';

const OPTION_KEYS = new Set([
  'aws',
  'gcp',
  'azure',
  'listen',
  'facts',
  'clock',
  'logger',
  'freshness',
  'startTimeoutMs',
]);
const TOKEN_MODES = new Set<string>(IMDS_TOKEN_MODES);

/**
 * What is wrong with options given from plain JavaScript, where the types do not reach: each
 * mistake here otherwise turns into a wrong answer on the wire (a role listed as `undefined`, every
 * GET a 401 for a mistyped `tokens`, an `Expiration` in the past) that names none of it.
 */
export function emulatorOptionProblems(options: EmulatorOptions | undefined): string[] {
  if (typeof options !== 'object' || options === null) {
    return ['options must be an object, e.g. { aws: { role, credentials } }'];
  }
  const problems = Object.keys(options)
    .filter((key) => !OPTION_KEYS.has(key))
    .map((key) => `unknown option "${key}" (expected ${[...OPTION_KEYS].join(', ')})`);
  const { aws, gcp, azure } = options;
  if (aws) {
    if (typeof aws.role !== 'string' || aws.role === '')
      problems.push('aws.role must be a role name');
    if (aws.credentials === undefined) problems.push('aws.credentials is missing');
    if (aws.tokens !== undefined && !TOKEN_MODES.has(aws.tokens))
      problems.push(`aws.tokens must be one of ${[...TOKEN_MODES].join(', ')}`);
    problems.push(...lifetimeProblems('aws', aws.ttlSeconds));
  }
  if (gcp) {
    if (gcp.serviceAccount?.accessToken === undefined)
      problems.push('gcp.serviceAccount.accessToken is missing');
    problems.push(...lifetimeProblems('gcp', gcp.ttlSeconds));
  }
  if (azure) {
    if (!Array.isArray(azure.identities) || azure.identities.length === 0)
      problems.push('azure.identities must list at least one identity');
    else
      azure.identities.forEach((identity, i) => {
        if (identity.tokens === undefined)
          problems.push(`azure.identities[${i}].tokens is missing`);
      });
    problems.push(...lifetimeProblems('azure', azure.ttlSeconds));
  }
  if (
    options.startTimeoutMs !== undefined &&
    !(Number.isFinite(options.startTimeoutMs) && options.startTimeoutMs > 0)
  )
    problems.push('startTimeoutMs must be a positive number of milliseconds');
  return problems;
}

function lifetimeProblems(dialect: string, ttlSeconds: number | undefined): string[] {
  if (ttlSeconds === undefined || (Number.isFinite(ttlSeconds) && ttlSeconds > 0)) return [];
  return [`${dialect}.ttlSeconds must be a positive number of seconds`];
}
