/**
 * What a machine says about itself, independent of any cloud. Providers render these into their
 * own trees (AWS `local-ipv4`, GCE `network-interfaces/0/ip`, Azure `privateIpAddress`) and add
 * cloud-specific values from their own config (region names differ per cloud).
 */
export interface InstanceFacts {
  /** Short host name, e.g. `build-07`. */
  readonly hostname: string;
  /** Fully qualified name when known, else the host name. */
  readonly fqdn: string;
  /** First non-internal IPv4 address, or 127.0.0.1 on a machine without one. */
  readonly ipv4: string;
  /** MAC of the interface carrying `ipv4`, lower-case, colon-separated. */
  readonly mac: string;
  /** A stable per-machine identifier (systemd machine-id, else derived from the host name). */
  readonly machineId: string;
  /** Free-form tags (`env=prod`); providers expose them where their cloud has tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Any other key/value facts (e.g. from vSphere guestinfo `guestinfo.guise.*`). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A partial view a single source contributes; sources are merged, later ones winning. */
export type PartialFacts = Partial<Omit<InstanceFacts, 'tags' | 'attributes'>> & {
  readonly tags?: Readonly<Record<string, string>>;
  readonly attributes?: Readonly<Record<string, string>>;
};
