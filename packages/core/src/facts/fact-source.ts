import type { PartialFacts } from './instance-facts.js';

/** Somewhere instance facts come from: config, the host, vSphere guestinfo, Vault KV. */
export interface FactSource {
  readonly name: string;
  read(): Promise<PartialFacts>;
}
