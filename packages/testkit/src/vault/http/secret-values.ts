import { isRecord } from '../../util/is-record.js';

/**
 * Fields of Vault's answers whose values are secrets: tokens (`auth.client_token`, a wrapping
 * token in `wrap_info.token`, a GCP access token in `data.token`), AppRole secret_ids, AWS secret
 * keys and session tokens, GCP key files, Azure client secrets.
 */
const SECRET_FIELDS = new Set([
  'client_token',
  'token',
  'secret_id',
  'secret_key',
  'session_token',
  'security_token',
  'private_key_data',
  'client_secret',
]);

/** Every non-empty string under a secret field of a JSON answer (none when it is not JSON). */
export function secretValues(body: string): string[] {
  try {
    return secretsIn(JSON.parse(body) as unknown);
  } catch {
    return [];
  }
}

function secretsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(secretsIn);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, field]) =>
    SECRET_FIELDS.has(key) && typeof field === 'string' && field !== ''
      ? [field]
      : secretsIn(field),
  );
}
