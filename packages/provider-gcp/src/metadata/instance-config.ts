import type { InstanceFacts } from '@guise/core';
import { sha256Hex } from '@guise/core';
import type { GceInstanceConfig, GceProjectConfig } from './gce-options.js';

/** Every instance field, defaults filled in from the machine's facts. */
export type ResolvedInstance = Required<GceInstanceConfig>;

/**
 * google-auth-library's envDetect probes `instance/attributes/cluster-name` to decide "this is
 * GKE" (§1.3): facts never put it there; only explicit configuration does.
 */
const GKE_MARKER = 'cluster-name';

export function resolveInstance(
  config: GceInstanceConfig,
  project: GceProjectConfig,
  facts: InstanceFacts,
): ResolvedInstance {
  const name = config.name ?? facts.hostname;
  const zone = config.zone ?? 'us-central1-a';
  const factAttributes = Object.fromEntries(
    Object.entries(facts.attributes).filter(([key]) => key !== GKE_MARKER),
  );
  return {
    id: config.id ?? numericIdOf(facts.machineId),
    name,
    hostname: config.hostname ?? `${name}.${zone}.c.${project.projectId}.internal`,
    zone,
    machineType: config.machineType ?? 'e2-medium',
    cpuPlatform: config.cpuPlatform ?? 'Intel Broadwell',
    description: config.description ?? '',
    image: config.image ?? 'projects/debian-cloud/global/images/family/debian-12',
    tags: config.tags ?? [],
    attributes: config.attributes ?? factAttributes,
    networkIp: config.networkIp ?? facts.ipv4,
    mac: config.mac ?? facts.mac,
  };
}

/**
 * A stable 19-digit id from the machine id: real GCE ids are 19–20 digits, above 2^53, which is
 * what makes clients parse them with BigNumber (gcp-metadata) or as strings.
 */
function numericIdOf(machineId: string): string {
  const value = BigInt(`0x${sha256Hex(machineId).slice(0, 16)}`) % 9_000_000_000_000_000_000n;
  return String(value + 1_000_000_000_000_000_000n);
}
