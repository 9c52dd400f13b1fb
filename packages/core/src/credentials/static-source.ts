import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/clock.js';
import type { CredentialSource } from './credential-source.js';
import type { Issued } from './issued.js';

/**
 * A source backed by a function of the caller's: for embedding guise in tests or in a service that
 * already has credentials. `ttlSeconds` gives each value its lifetime unless the function returns
 * a full `Issued` itself.
 */
export function fromCallback<T, R = void>(
  id: string,
  produce: (request: R) => Promise<T | Issued<T>> | T | Issued<T>,
  options: { ttlSeconds?: number; clock?: Clock } = {},
): CredentialSource<T, R> {
  const clock = options.clock ?? systemClock;
  const ttlMs = (options.ttlSeconds ?? 3600) * 1000;
  return {
    id,
    async issue(request) {
      const produced = await produce(request);
      if (isIssued<T>(produced)) return produced;
      const issuedAt = clock.now();
      return { value: produced, issuedAt, expiresAt: issuedAt + ttlMs };
    },
  };
}

/** A source that always hands out the same value, re-stamped with a fresh lifetime on each issue. */
export function fromStatic<T>(
  id: string,
  value: T,
  options: { ttlSeconds?: number; clock?: Clock } = {},
): CredentialSource<T> {
  return fromCallback(id, () => value, options);
}

function isIssued<T>(x: unknown): x is Issued<T> {
  return (
    typeof x === 'object' &&
    x !== null &&
    'value' in x &&
    'expiresAt' in x &&
    typeof (x as { expiresAt: unknown }).expiresAt === 'number'
  );
}
