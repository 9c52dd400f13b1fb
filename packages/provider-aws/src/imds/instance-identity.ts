import { awsPrettyJson, awsTimestamp } from './aws-json.js';
import type { ResolvedInstance } from './instance-config.js';
import type { MetadataDirectory } from './metadata-tree.js';
import { directory, leaf } from './metadata-tree.js';

/**
 * `dynamic/instance-identity/document`: the fields of reference/aws-imds.md §1.9 in the order and
 * layout of current EC2 captures (alphabetical, `marketplaceProductCodes` after
 * `devpayProductCodes`, two-space Jackson pretty print). `pendingTime` is the last launch;
 * here, when the agent started serving.
 */
export function identityDocument(instance: ResolvedInstance, pendingTime: number): string {
  return awsPrettyJson({
    accountId: instance.accountId,
    architecture: instance.architecture,
    availabilityZone: instance.availabilityZone,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: instance.amiId,
    instanceId: instance.instanceId,
    instanceType: instance.instanceType,
    kernelId: null,
    pendingTime: awsTimestamp(pendingTime),
    privateIp: instance.localIpv4,
    ramdiskId: null,
    region: instance.region,
    version: '2017-09-30',
  });
}

/**
 * `dynamic/instance-identity/` lists only `document`. EC2 also serves `pkcs7`, `signature` and
 * `rsa2048`, signed with AWS's private keys; a signature nobody can verify would only make
 * verifiers fail later and more confusingly, and a listed path must answer, so they are not listed.
 */
export function instanceIdentityDirectory(
  instance: ResolvedInstance,
  pendingTime: number,
): MetadataDirectory {
  return directory({ document: leaf(identityDocument(instance, pendingTime)) });
}
