import type { InstanceFacts } from '@guise/core';
import { sha256Hex } from '@guise/core';
import type { AzureInstanceConfig } from './instance-config.js';

/** A JSON value of the instance document: IMDS renders every primitive as a string (§1.4). */
export type DocumentValue =
  string | readonly DocumentValue[] | { readonly [key: string]: DocumentValue };

/** A compute field and the api-version that introduced it (IMDSDOC table, reference §1.4). */
type VersionedField = readonly [name: string, since: string, value: DocumentValue];

/**
 * Builds `/metadata/instance` for one api-version: fields newer than the requested version are
 * left out, as IMDS does; missing values are `""` ("always included but set to an empty string").
 */
export function instanceDocument(
  config: AzureInstanceConfig,
  facts: InstanceFacts,
  version: string,
): { [key: string]: DocumentValue } {
  const name = config.name ?? facts.hostname;
  const subscriptionId = config.subscriptionId ?? '00000000-0000-0000-0000-000000000000';
  const resourceGroupName = config.resourceGroupName ?? 'guise';
  const tags = config.tags ?? facts.tags;
  const compute: VersionedField[] = [
    ['azEnvironment', '2018-10-01', config.azEnvironment ?? 'AzurePublicCloud'],
    ['isHostCompatibilityLayerVm', '2020-06-01', 'false'],
    ['licenseType', '2020-09-01', ''],
    ['location', '2017-04-02', config.location ?? 'westeurope'],
    ['name', '2017-04-02', name],
    ['offer', '2017-04-02', ''],
    [
      'osProfile',
      '2020-07-15',
      { adminUsername: '', computerName: facts.hostname, disablePasswordAuthentication: 'true' },
    ],
    ['osType', '2017-04-02', config.osType ?? 'Linux'],
    ['placementGroupId', '2017-08-01', ''],
    ['plan', '2018-04-02', { name: '', product: '', publisher: '' }],
    ['platformFaultDomain', '2017-04-02', '0'],
    ['platformUpdateDomain', '2017-04-02', '0'],
    ['priority', '2020-12-01', ''],
    ['provider', '2018-10-01', 'Microsoft.Compute'],
    ['publicKeys', '2018-04-02', []],
    ['publisher', '2017-04-02', ''],
    ['resourceGroupName', '2017-08-01', resourceGroupName],
    [
      'resourceId',
      '2019-03-11',
      `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Compute/virtualMachines/${name}`,
    ],
    ['sku', '2017-04-02', ''],
    ['subscriptionId', '2017-08-01', subscriptionId],
    // Text form `name:value;…` and the list form (IMDSDOC Sample 3).
    [
      'tags',
      '2017-08-01',
      Object.entries(tags)
        .map(([k, v]) => `${k}:${v}`)
        .join(';'),
    ],
    ['tagsList', '2019-06-04', Object.entries(tags).map(([k, v]) => ({ name: k, value: v }))],
    ['userData', '2021-01-01', ''],
    ['version', '2017-04-02', ''],
    ['vmId', '2017-04-02', config.vmId ?? uuidFrom(facts.machineId)],
    ['vmScaleSetName', '2017-12-01', ''],
    ['vmSize', '2017-04-02', config.vmSize ?? 'Standard_D2s_v3'],
    ['zone', '2017-12-01', config.zone ?? ''],
  ];
  const privateIpv4 = config.privateIpv4 ?? facts.ipv4;
  const prefix = config.subnetPrefix ?? 24;
  return {
    compute: Object.fromEntries(
      compute.filter(([, since]) => version >= since).map(([key, , value]) => [key, value]),
    ),
    network: {
      interface: [
        {
          ipv4: {
            ipAddress: [
              { privateIpAddress: privateIpv4, publicIpAddress: config.publicIpv4 ?? '' },
            ],
            subnet: [{ address: networkAddress(privateIpv4, prefix), prefix: String(prefix) }],
          },
          ipv6: { ipAddress: [] },
          macAddress: (config.mac ?? facts.mac).replace(/[^0-9a-f]/gi, '').toUpperCase(),
        },
      ],
    },
  };
}

/** A v4-shaped UUID from a hash: VM ids are UUIDs and some tools parse them. */
function uuidFrom(seed: string): string {
  const hex = sha256Hex(`azure-vm-id:${seed}`);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** `10.1.0.4` with prefix 24 → `10.1.0.0`. */
function networkAddress(ipv4: string, prefix: number): string {
  const value = ipv4.split('.').reduce((acc, octet) => (acc << 8) | (Number(octet) & 0xff), 0);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const network = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.');
}
