import type { Clock, CredentialSource, Issued } from '@guise/core';
import { fromCallback } from '@guise/core';

/**
 * A function the emulator calls whenever it needs a new credential for `request` (see
 * `fromCallback`). It may return an `Issued` to set the expiry itself.
 */
export type CredentialCallback<T, R = void> = (
  request: R,
) => T | Issued<T> | Promise<T | Issued<T>>;

/**
 * How an emulated dialect is given a credential: a fixed value (re-stamped with a fresh lifetime on
 * every issue), a callback, or any CredentialSource (e.g. a Vault source).
 */
export type CredentialInput<T, R = void> = T | CredentialCallback<T, R> | CredentialSource<T, R>;

/** The CredentialSource behind a `CredentialInput`; `id` names it in logs and metrics. */
export function credentialSourceOf<T, R = void>(
  id: string,
  input: CredentialInput<T, R>,
  options: { ttlSeconds?: number; clock: Clock },
): CredentialSource<T, R> {
  const lifetime = { clock: options.clock, ttlSeconds: options.ttlSeconds };
  if (isCallback(input)) {
    // The callback sees the whole request (an audience, a resource), so the broker must keep one
    // credential per distinct request, not one for them all.
    const keyOf = (request: R) => JSON.stringify(request) ?? '';
    return { ...fromCallback(`callback:${id}`, input, lifetime), keyOf };
  }
  if (isSource(input)) return input;
  return fromCallback(`static:${id}`, () => input, lifetime);
}

// Credential values are plain data (keys, token objects, strings), never functions or objects
// with an `issue` method, so these two checks tell the three kinds apart.
function isCallback<T, R>(input: CredentialInput<T, R>): input is CredentialCallback<T, R> {
  return typeof input === 'function';
}

function isSource<T, R>(input: CredentialInput<T, R>): input is CredentialSource<T, R> {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { issue?: unknown }).issue === 'function'
  );
}
