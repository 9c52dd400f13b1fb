import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { FactSource } from './fact-source.js';
import type { PartialFacts } from './instance-facts.js';

/** Where systemd keeps the machine id; dbus's copy serves older systems. */
const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];

/** Facts read from the host itself: the derived defaults when nothing else is configured. */
export class HostFactSource implements FactSource {
  readonly name = 'host';

  constructor(private readonly machineIdFiles: readonly string[] = MACHINE_ID_FILES) {}

  async read(): Promise<PartialFacts> {
    const hostname = os.hostname();
    const nic = firstExternalIpv4();
    return {
      hostname: hostname.split('.')[0] ?? hostname,
      fqdn: hostname,
      ipv4: nic?.address ?? '127.0.0.1',
      mac: nic?.mac ?? '00:00:00:00:00:00',
      machineId: (await this.machineId()) ?? sha256Hex(hostname).slice(0, 32),
    };
  }

  private async machineId(): Promise<string | undefined> {
    for (const file of this.machineIdFiles) {
      try {
        const id = (await readFile(file, 'utf8')).trim();
        if (/^[0-9a-f]{32}$/i.test(id)) return id.toLowerCase();
      } catch {
        // absent on this system: try the next place
      }
    }
    return undefined;
  }
}

function firstExternalIpv4(): os.NetworkInterfaceInfo | undefined {
  for (const infos of Object.values(os.networkInterfaces())) {
    const found = infos?.find((i) => i.family === 'IPv4' && !i.internal);
    if (found) return found;
  }
  return undefined;
}

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}
