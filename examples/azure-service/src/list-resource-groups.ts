import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';

/** Where the service finds Azure Resource Manager, and as whom it calls it. */
export interface ArmOptions {
  /** ARM's base URL; a test puts its stand-in API here. */
  readonly endpoint?: string;
  /** Default: DefaultAzureCredential, as production code takes. */
  readonly credential?: TokenCredential;
}

/**
 * The service's one job: list the names of a subscription's resource groups, as the machine's
 * managed identity. On an Azure VM (or one with guise, or in a test with guise's emulator) the
 * credential gets its ARM token from the instance metadata service.
 */
export async function listResourceGroups(
  subscriptionId: string,
  options: ArmOptions = {},
): Promise<string[]> {
  const endpoint = options.endpoint ?? 'https://management.azure.com';
  const credential = options.credential ?? new DefaultAzureCredential();
  const token = await credential.getToken('https://management.azure.com/.default');
  if (!token) throw new Error('no ARM token for the managed identity');
  const url = `${endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups?api-version=2021-04-01`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token.token}` } });
  if (!response.ok) throw new Error(`ARM answered ${response.status}`);
  const body = (await response.json()) as { value: { name: string }[] };
  return body.value.map((group) => group.name);
}
