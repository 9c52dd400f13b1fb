import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random string over `alphabet` (rejection-free: `randomInt` is uniform). */
export function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Vault's `base62.Random(n)`: token bodies, accessors and lease-id suffixes. */
export function randomBase62(length: number): string {
  return randomString(BASE62, length);
}

/** Vault's `uuid.GenerateUUID()` (request ids, role ids, secret ids) prints a v4-style UUID. */
export function randomUuid(): string {
  return randomUUID();
}

/** Base64 text of `byteCount` random bytes (AWS secret keys and session tokens look like this). */
export function randomBase64(byteCount: number): string {
  return randomBytes(byteCount).toString('base64');
}
