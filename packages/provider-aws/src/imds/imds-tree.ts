import type { ResolvedInstance } from './instance-config.js';
import { instanceIdentityDirectory } from './instance-identity.js';
import type { MetadataDirectory, MetadataLeaf } from './metadata-tree.js';
import { directory, leaf, textDirectory, textLeaves } from './metadata-tree.js';
import { API_VERSIONS } from './versions.js';

export interface ImdsTreeInput {
  readonly instance: ResolvedInstance;
  readonly roleName: string;
  /** The role's credential JSON, rendered per request (it comes from the broker). */
  readonly credentials: MetadataLeaf;
  readonly iamInfo: string;
  /** Epoch ms the agent started serving: the identity document's `pendingTime`. */
  readonly startedAt: number;
}

/**
 * The whole IMDS tree: `/` lists the versions, each version the same `dynamic`, `meta-data` and
 * (when configured) `user-data`. Categories follow reference/aws-imds.md §1.9; a category whose
 * value this machine does not have is left out rather than served empty, exactly as EC2 omits
 * `public-ipv4` on an instance without one. Omitted on purpose: `events/`, `metrics/` (gone from
 * EC2), `identity-credentials/` (internal, JSON unknown), `public-keys/`, `spot/`, `kernel-id`,
 * `ramdisk-id`, `product-codes` (not applicable) — so a crawl never meets a path that cannot answer.
 */
export function buildImdsTree(input: ImdsTreeInput): MetadataDirectory {
  const { instance } = input;
  const version = directory(
    {
      dynamic: directory({
        'instance-identity': instanceIdentityDirectory(instance, input.startedAt),
      }),
      'meta-data': metaData(input),
      // Listed only when present: `/latest/` may list nothing that answers 404 (§0.6).
      'user-data': instance.userData && leaf(instance.userData, 'application/octet-stream'),
    },
    { markSubdirectories: false },
  );
  const versions = Object.fromEntries(API_VERSIONS.map((name) => [name, version]));
  return directory(versions, { markSubdirectories: false });
}

function metaData({ instance, roleName, credentials, iamInfo }: ImdsTreeInput): MetadataDirectory {
  const device = '/dev/xvda';
  return directory({
    ...textLeaves({
      'ami-id': instance.amiId,
      'ami-launch-index': '0',
      // EBS-backed AMIs have no manifest; EC2 answers this literal (§1.9).
      'ami-manifest-path': '(unknown)',
      hostname: instance.hostname,
      'instance-action': 'none',
      'instance-id': instance.instanceId,
      'instance-life-cycle': 'on-demand',
      'instance-type': instance.instanceType,
      'local-hostname': instance.hostname,
      'local-ipv4': instance.localIpv4,
      mac: instance.mac,
      profile: 'default-hvm',
      'public-hostname': instance.publicHostname,
      'public-ipv4': instance.publicIpv4,
      'reservation-id': instance.reservationId,
      'security-groups': 'default',
    }),
    'block-device-mapping': textDirectory({ ami: device, root: device }),
    iam: directory({
      info: leaf(iamInfo),
      // One role per instance profile; the listing is the bare role name (§1.10).
      'security-credentials': directory({ [roleName]: credentials }),
    }),
    network: directory({
      interfaces: directory({ macs: directory({ [instance.mac]: networkInterface(instance) }) }),
    }),
    placement: textDirectory({
      'availability-zone': instance.availabilityZone,
      'availability-zone-id': instance.availabilityZoneId,
      region: instance.region,
    }),
    services: textDirectory({ domain: instance.domain, partition: instance.partition }),
    tags: instance.tags && directory({ instance: textDirectory(instance.tags) }),
  });
}

/** `network/interfaces/macs/<mac>/` for the one interface facts describe. */
function networkInterface(instance: ResolvedInstance): MetadataDirectory {
  const { publicIpv4, publicHostname } = instance;
  return directory({
    ...textLeaves({
      'device-number': '0',
      'interface-id': instance.interfaceId,
      'local-hostname': instance.hostname,
      'local-ipv4s': instance.localIpv4,
      mac: instance.mac,
      'owner-id': instance.accountId,
      'public-hostname': publicHostname,
      'public-ipv4s': publicIpv4,
      'security-group-ids': instance.securityGroupId,
      'security-groups': 'default',
      'subnet-id': instance.subnetId,
      'vpc-id': instance.vpcId,
    }),
    'ipv4-associations':
      publicIpv4 === undefined ? undefined : textDirectory({ [publicIpv4]: instance.localIpv4 }),
  });
}
