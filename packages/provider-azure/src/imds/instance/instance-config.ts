/**
 * What the VM says about itself in `/metadata/instance`. Every field is optional: defaults derive
 * from the machine's InstanceFacts (see `resolve-instance.ts`), so an agent with no configuration
 * still serves a complete, self-consistent document.
 */
export interface AzureInstanceConfig {
  /** Default: a UUID derived from facts.machineId (stable per machine). */
  vmId?: string;
  /** Default facts.hostname. */
  name?: string;
  /** Azure region name (`westeurope`); MSAL region discovery requires `^[a-z][a-z0-9-]*$` (§3.5). */
  location?: string;
  resourceGroupName?: string;
  subscriptionId?: string;
  vmSize?: string;
  osType?: 'Linux' | 'Windows';
  /** `AzurePublicCloud`, `AzureUSGovernmentCloud`, `AzureChinaCloud` or `AzureGermanCloud`. */
  azEnvironment?: string;
  zone?: string;
  /** Default facts.tags. */
  tags?: Record<string, string>;
  /** Default facts.ipv4. */
  privateIpv4?: string;
  /** Absent: `""`, as for a VM without a public IP (§1.4). */
  publicIpv4?: string;
  /** Subnet prefix length of the private address. Default 24. */
  subnetPrefix?: number;
  /** Default facts.mac. Rendered upper-case without separators (`000D3AF806EC`, §1.4). */
  mac?: string;
}
