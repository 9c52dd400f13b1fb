import type { RequestRecord } from '@guise/testkit';
import { FLEET_AWS_ROLE } from './fleet-vault.js';

/** What a Vault request was for, as the fleet report breaks them down. */
export type RequestKind = 'login' | 'tokenRenewal' | 'credentialIssue' | 'other';

export const REQUEST_KINDS: readonly RequestKind[] = [
  'login',
  'tokenRenewal',
  'credentialIssue',
  'other',
];

/** Lease renewals, token lookups and anything unexpected are `other`. */
export function kindOf(path: string): RequestKind {
  if (path === '/v1/auth/approle/login') return 'login';
  if (path === '/v1/auth/token/renew-self') return 'tokenRenewal';
  if (path === `/v1/aws/sts/${FLEET_AWS_ROLE}`) return 'credentialIssue';
  return 'other';
}

/**
 * The fleet's requests at the fake Vault, by simulated minute. The fake records a request when it
 * answers it; the simulation closes a minute once the fleet is quiet after it, so every request
 * a timer of that minute set off (however long its round trip took in real time) is counted there.
 * What the operator's set-up sent before the fleet started is left out.
 */
export class VaultTraffic {
  private readonly first: number;
  private counted: number;
  private readonly perMinute: number[] = [];

  constructor(private readonly requests: readonly RequestRecord[]) {
    this.first = requests.length;
    this.counted = requests.length;
  }

  /** Requests answered so far, set-up included: what the quiet check watches for change. */
  get answered(): number {
    return this.requests.length;
  }

  /** Counts every request answered since the previous minute closed as `minute`'s. */
  closeMinute(minute: number): void {
    this.perMinute[minute] = (this.perMinute[minute] ?? 0) + this.requests.length - this.counted;
    this.counted = this.requests.length;
  }

  /** Requests in each closed minute, from the fleet's start. */
  minutes(): readonly number[] {
    return Array.from(this.perMinute, (count) => count ?? 0);
  }

  byKind(): Record<RequestKind, number> {
    const counts: Record<RequestKind, number> = {
      login: 0,
      tokenRenewal: 0,
      credentialIssue: 0,
      other: 0,
    };
    for (const request of this.fleetRequests()) counts[kindOf(request.path)] += 1;
    return counts;
  }

  /** Requests Vault answered with an error status: none, unless something is wrong. */
  failed(): number {
    return this.fleetRequests().filter((request) => request.status >= 400).length;
  }

  private fleetRequests(): readonly RequestRecord[] {
    return this.requests.slice(this.first);
  }
}
