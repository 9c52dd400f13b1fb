import type { FactSource } from './fact-source.js';
import type { InstanceFacts, PartialFacts } from './instance-facts.js';

/** Facts of a machine nobody described: used only to fill gaps left by every source. */
const FALLBACK: InstanceFacts = {
  hostname: 'localhost',
  fqdn: 'localhost',
  ipv4: '127.0.0.1',
  mac: '00:00:00:00:00:00',
  machineId: '00000000000000000000000000000000',
  tags: {},
  attributes: {},
};

/** Reads every source in order and merges them, later sources overriding earlier ones key by key. */
export async function collectFacts(sources: readonly FactSource[]): Promise<InstanceFacts> {
  const parts = await Promise.all(sources.map((s) => s.read()));
  return parts.reduce<InstanceFacts>(mergeFacts, FALLBACK);
}

export function mergeFacts(base: InstanceFacts, part: PartialFacts): InstanceFacts {
  const defined = Object.fromEntries(Object.entries(part).filter(([, v]) => v !== undefined));
  return {
    ...base,
    ...defined,
    tags: { ...base.tags, ...part.tags },
    attributes: { ...base.attributes, ...part.attributes },
  };
}

/** A source holding facts given in config or code. */
export function staticFacts(name: string, facts: PartialFacts): FactSource {
  return { name, read: async () => facts };
}
