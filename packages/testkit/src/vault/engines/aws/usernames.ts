import { randomString } from '../../../util/random.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `normalizeDisplayName`: characters IAM does not allow in names become `_`. */
export function normalizeDisplayName(name: string): string {
  return name.replace(/[^a-zA-Z0-9+=,.@_-]/g, '_');
}

/**
 * Vault's default `username_template` for IAM users and assumed-role session names:
 * `vault-<display>-<role>` (cut to 42) `-<unix>-<random 20>`, cut to 64 characters.
 */
export function iamUsername(displayName: string, roleName: string, unixTime: number): string {
  const subject = `${normalizeDisplayName(displayName)}-${normalizeDisplayName(roleName)}`.slice(
    0,
    42,
  );
  return `vault-${subject}-${unixTime}-${randomString(ALPHANUMERIC, 20)}`.slice(0, 64);
}

/** The default template for STS names (federation tokens): `vault-<unix>-<random 20>`, cut to 32. */
export function stsUsername(unixTime: number): string {
  return `vault-${unixTime}-${randomString(ALPHANUMERIC, 20)}`.slice(0, 32);
}
