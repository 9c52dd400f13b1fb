import type { FactSource } from '../facts/fact-source.js';
import type { PartialFacts } from '../facts/instance-facts.js';
import type { GuestInfoReader } from './guestinfo-reader.js';

/** The prefix of every fact key: `guestinfo.guise.hostname`, `guestinfo.guise.tags`, ... */
export const GUESTINFO_FACT_PREFIX = 'guestinfo.guise.';

/** Fact fields read from `guestinfo.guise.<lower-case name>`. */
const FIELDS = ['hostname', 'fqdn', 'ipv4', 'mac', 'machineId'] as const;

export interface GuestInfoFactOptions {
  /**
   * Further keys read into `attributes` (`region` reads `guestinfo.guise.region`). guestinfo has
   * no listing call, so a key must be named to be read.
   */
  readonly attributes?: readonly string[];
}

/**
 * Instance facts that vSphere tooling sets per VM: `guestinfo.guise.hostname`, `.fqdn`, `.ipv4`,
 * `.mac`, `.machineid`, `.tags` (`env=prod,team=data`) and any attribute named in the options.
 * Unset keys contribute nothing, so other sources (the host) fill the gaps.
 */
export class GuestInfoFactSource implements FactSource {
  readonly name = 'vsphere-guestinfo';

  constructor(
    private readonly reader: GuestInfoReader,
    private readonly options: GuestInfoFactOptions = {},
  ) {}

  async read(): Promise<PartialFacts> {
    const get = (name: string) => this.reader.get(`${GUESTINFO_FACT_PREFIX}${name}`);
    const fields = await Promise.all(
      FIELDS.map(async (field) => [field, await get(field.toLowerCase())] as const),
    );
    const attributes = await Promise.all(
      (this.options.attributes ?? []).map(async (name) => [name, await get(name)] as const),
    );
    const tags = await get('tags');
    return {
      ...Object.fromEntries(fields.filter(([, value]) => value !== undefined && value !== '')),
      ...(tags === undefined ? {} : { tags: parseTags(tags) }),
      attributes: Object.fromEntries(
        attributes.filter((entry): entry is readonly [string, string] => entry[1] !== undefined),
      ),
    };
  }
}

/** `env=prod, team=data` → `{ env: 'prod', team: 'data' }`; entries without `=` are ignored. */
export function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    tags[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return tags;
}
