import type { LogFields } from './logger.js';

/**
 * Field names whose values are secrets wherever they appear (Vault, AWS, GCP and Azure spellings).
 * Matching is case-insensitive on the whole key, after removing `_` and `-`.
 */
const SECRET_KEYS = new Set(
  [
    'secret_id',
    'token',
    'client_token',
    'wrapping_token',
    'vault_token',
    'access_key',
    'secret_key',
    'secretAccessKey',
    'session_token',
    'security_token',
    'sessionToken',
    'access_token',
    'id_token',
    'refresh_token',
    'client_secret',
    'private_key',
    'private_key_data',
    'password',
    'authorization',
    'x-vault-token',
    'x-aws-ec2-metadata-token',
  ].map(normalize),
);

export const REDACTED = '[redacted]';

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalize(key));
}

/** Deep copy of `fields` with every secret-named value replaced by `[redacted]`. */
export function redact(fields: LogFields): LogFields {
  return redactValue(fields, 0) as LogFields;
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
