import { resolveVaultAddresses } from '../compose/resolve-vault-addresses.js';
import type { AgentConfig } from '../config/schema.js';
import type { Check } from './check.js';
import { listenAddressCheck, listenPortCheck } from './host-checks.js';
import { vaultChecks } from './vault-checks.js';

/** Every check of `guise doctor` for a valid configuration, in the order an operator fixes them. */
export async function runDoctor(config: AgentConfig): Promise<Check[]> {
  const { host, port } = config.listen;
  return [
    ...(await vaultChecks({ ...config, vault: await resolveVaultAddresses(config.vault) })),
    listenAddressCheck(host),
    await listenPortCheck(host, port),
  ];
}
