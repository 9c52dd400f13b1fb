import { createHash } from 'node:crypto';
import type { InstanceFacts, Logger } from '@guise/core';
import { sha256Hex } from '@guise/core';
import type { AwsInstanceConfig } from './imds-options.js';

/** Everything the tree renders, defaults applied. Optional fields are absent from the tree. */
export interface ResolvedInstance {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly amiId: string;
  readonly accountId: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly partition: string;
  readonly domain: string;
  readonly hostname: string;
  readonly localIpv4: string;
  readonly mac: string;
  readonly publicIpv4?: string;
  readonly publicHostname?: string;
  readonly reservationId: string;
  readonly interfaceId: string;
  readonly securityGroupId: string;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly architecture: string;
  /** Only tags with keys IMDS allows, and only when tags are exposed. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly userData?: Buffer;
  readonly instanceProfileArn: string;
  readonly instanceProfileId: string;
}

/**
 * Fills in what the operator did not configure from the machine's facts. Identifiers are hashes
 * of the machine id, so they are stable across restarts and distinct per machine, in the shapes
 * AWS uses (`i-` + 17 hex, `AIPA` + 17 base32), because clients sometimes validate those shapes.
 */
export function resolveInstance(
  config: AwsInstanceConfig,
  facts: InstanceFacts,
  roleName: string,
  logger: Logger,
): ResolvedInstance {
  const derived = (purpose: string) => sha256Hex(`${purpose}:${facts.machineId}`).slice(0, 17);
  const region = config.region ?? 'us-east-1';
  const availabilityZone = config.availabilityZone ?? `${region}a`;
  const accountId = config.accountId ?? '000000000000';
  const { partition, domain } = partitionOf(region);
  return {
    instanceId: config.instanceId ?? `i-${sha256Hex(facts.machineId).slice(0, 17)}`,
    instanceType: config.instanceType ?? 't3.medium',
    amiId: config.amiId ?? 'ami-00000000000000000',
    accountId,
    region,
    availabilityZone,
    availabilityZoneId: config.availabilityZoneId ?? zoneIdOf(region, availabilityZone),
    partition,
    domain,
    hostname: config.hostname ?? facts.fqdn,
    localIpv4: config.localIpv4 ?? facts.ipv4,
    mac: (config.mac ?? facts.mac).toLowerCase(),
    publicIpv4: config.publicIpv4,
    publicHostname: config.publicHostname,
    reservationId: `r-${derived('reservation')}`,
    interfaceId: `eni-${derived('interface')}`,
    securityGroupId: `sg-${derived('security-group')}`,
    subnetId: `subnet-${derived('subnet')}`,
    vpcId: `vpc-${derived('vpc')}`,
    architecture: ARCHITECTURES[process.arch] ?? process.arch,
    tags: config.exposeTags ? exposableTags(config.tags ?? facts.tags, logger) : undefined,
    userData:
      typeof config.userData === 'string' ? Buffer.from(config.userData, 'utf8') : config.userData,
    instanceProfileArn:
      config.instanceProfile?.arn ??
      `arn:${partition}:iam::${accountId}:instance-profile/${roleName}`,
    instanceProfileId:
      config.instanceProfile?.id ?? `AIPA${base32Id(`instance-profile:${facts.machineId}`)}`,
  };
}

/** Node's `process.arch` → the identity document's `architecture`. */
const ARCHITECTURES: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'arm64',
  ia32: 'i386',
};

/** `services/partition` and `services/domain` follow the region's partition. */
function partitionOf(region: string): { partition: string; domain: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', domain: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', domain: 'amazonaws.com' };
  return { partition: 'aws', domain: 'amazonaws.com' };
}

const DIRECTIONS: Readonly<Record<string, string>> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  gov: 'g',
};

/** `us-east-1` + `us-east-1a` → `use1-az1`, `ap-southeast-2` + `…b` → `apse2-az2`, as AWS spells zone ids. */
function zoneIdOf(region: string, availabilityZone: string): string {
  const [area = '', ...rest] = region.split('-');
  const number = rest.pop() ?? '';
  const code = area + rest.map((word) => DIRECTIONS[word] ?? word.charAt(0)).join('') + number;
  const letter = availabilityZone.startsWith(region) ? availabilityZone.slice(region.length) : 'a';
  const index = /^[a-z]$/.test(letter) ? letter.charCodeAt(0) - 96 : 1;
  return `${code}-az${index}`;
}

/**
 * IMDS exposes a tag only if its key uses `a-z A-Z 0-9 + - = . , _ : @`, is not `.`, `..` or
 * `_index`, and fits EC2's 128 characters; anything else crashes cloud-init's crawl
 * (reference/aws-imds.md §1.9, cloud-init PR #1686). EC2 refuses to enable tags in metadata
 * while such a key exists; an agent cannot refuse its facts, so it leaves the key out and says so.
 */
function exposableTags(
  tags: Readonly<Record<string, string>>,
  logger: Logger,
): Record<string, string> {
  const kept: Record<string, string> = Object.create(null); // `__proto__` is a valid tag key
  for (const [key, value] of Object.entries(tags)) {
    if (
      /^[A-Za-z0-9+\-=.,_:@]{1,128}$/.test(key) &&
      key !== '.' &&
      key !== '..' &&
      key !== '_index'
    ) {
      kept[key] = value;
    } else {
      logger.warn('tag not exposed in instance metadata: key has characters IMDS does not allow', {
        tag: key,
      });
    }
  }
  return kept;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 17 characters of IAM's unique-id alphabet (upper-case letters and 2–7), derived from `seed`. */
function base32Id(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  return [...bytes.subarray(0, 17)].map((byte) => BASE32[byte % 32]).join('');
}
