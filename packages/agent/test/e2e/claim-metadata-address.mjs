// Runs inside the namespace netns.ts created: proves we are not in the caller's network namespace,
// then gives this namespace's loopback the metadata address so the agent can bind it and clients
// reach it exactly as on EC2. Refusing to continue here is what keeps every later packet to
// 169.254.169.254 off the host's network.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import process from 'node:process';

export const METADATA_ADDRESS = '169.254.169.254';

export function claimMetadataAddress() {
  const parent = process.env.GUISE_E2E_PARENT_NETNS;
  const own = String(statSync('/proc/self/ns/net').ino);
  if (!parent || parent === own) {
    throw new Error(
      `refusing to run: network namespace ${own} is not a fresh one (parent: ${parent ?? 'unknown'})`,
    );
  }
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  execFileSync('ip', ['addr', 'add', `${METADATA_ADDRESS}/32`, 'dev', 'lo']);
  const addresses = execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  // Only loopback may exist here: an interface with a route off the machine means we are not in
  // the isolated namespace we think we are in.
  const foreign = addresses.split('\n').filter((line) => line && !/^\d+:\s+lo\s/.test(line));
  if (foreign.length > 0 || !addresses.includes(`inet ${METADATA_ADDRESS}/32`)) {
    throw new Error(`refusing to run: unexpected addresses in the namespace:\n${addresses}`);
  }
}
