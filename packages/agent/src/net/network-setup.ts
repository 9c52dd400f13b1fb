import type { Check } from '../doctor/check.js';
import type { AliasAddress } from './loopback-alias.js';
import {
  addAlias,
  bringLoopbackUp,
  cidr,
  loopbackHasIpv6,
  loopbackState,
  METADATA_IPV4,
  METADATA_IPV6,
  removeAlias,
} from './loopback-alias.js';
import { installRedirect, redirectedPort, removeRedirect } from './port-redirect.js';
import { ToolMissingError } from './run-tool.js';

export interface NetworkOptions {
  /** `auto` (default): fd00:ec2::254 too when IPv6 is enabled on lo. */
  readonly ipv6?: 'auto' | 'on' | 'off';
  /** Redirect port 80 of the metadata addresses to this port (the agent's unprivileged one). */
  readonly redirectPort?: number;
}

/** One fact about the machine's metadata networking, with what to do when it is not as wanted. */
export type NetworkCheck = Check;

async function wantedAliases(ipv6: NetworkOptions['ipv6'] = 'auto'): Promise<AliasAddress[]> {
  const withIpv6 = ipv6 === 'on' || (ipv6 === 'auto' && (await loopbackHasIpv6()));
  return withIpv6 ? [METADATA_IPV4, METADATA_IPV6] : [METADATA_IPV4];
}

/**
 * Puts the metadata addresses on `lo` (and the port redirect, when asked), changing only what is
 * missing: running it twice changes nothing the second time. Resolves with one line per action.
 */
export async function setupNetwork(options: NetworkOptions = {}): Promise<string[]> {
  const aliases = await wantedAliases(options.ipv6);
  const done: string[] = [];
  const state = await loopbackState();
  if (!state.up) {
    await bringLoopbackUp();
    done.push('brought lo up');
  }
  for (const alias of aliases) {
    if (state.addresses.has(cidr(alias))) {
      done.push(`${cidr(alias)} already on lo`);
      continue;
    }
    await addAlias(alias);
    done.push(`added ${cidr(alias)} to lo`);
  }
  if (options.redirectPort !== undefined) {
    await installRedirect(aliases, options.redirectPort);
    done.push(`port 80 of ${aliases.map((a) => a.address).join(', ')} → ${options.redirectPort}`);
  }
  return done;
}

/** Removes what setup adds (absent pieces are fine). Resolves with one line per action. */
export async function teardownNetwork(options: NetworkOptions = {}): Promise<string[]> {
  // Both families are removed whatever IPv6 looks like now: it may have been on at setup.
  const aliases = options.ipv6 === 'off' ? [METADATA_IPV4] : [METADATA_IPV4, METADATA_IPV6];
  const done: string[] = [];
  const { addresses } = await loopbackState();
  for (const alias of aliases) {
    if (!addresses.has(cidr(alias))) continue;
    await removeAlias(alias);
    done.push(`removed ${cidr(alias)} from lo`);
  }
  try {
    if ((await Promise.all(aliases.map(redirectedPort))).some((p) => p !== undefined)) {
      await removeRedirect(aliases);
      done.push('removed the port-80 redirect');
    }
  } catch (error) {
    // Without nft there is no redirect to remove.
    if (!(error instanceof ToolMissingError)) throw error;
  }
  return done;
}

/** What is in place now, compared with what setup would do. Needs no privilege. */
export async function networkStatus(options: NetworkOptions = {}): Promise<NetworkCheck[]> {
  const aliases = await wantedAliases(options.ipv6);
  const { up, addresses } = await loopbackState();
  const checks: NetworkCheck[] = [
    { ok: up, what: 'lo is up', fix: 'sudo ip link set lo up' },
    ...aliases.map((alias) => ({
      ok: addresses.has(cidr(alias)),
      what: `${cidr(alias)} on lo`,
      fix: 'sudo guise net setup',
    })),
  ];
  if (options.redirectPort !== undefined) {
    for (const alias of aliases) {
      const port = await redirectedPort(alias).catch(() => undefined);
      checks.push({
        ok: port === options.redirectPort,
        what: `port 80 of ${alias.address} redirected to ${options.redirectPort}${port !== undefined && port !== options.redirectPort ? ` (now ${port})` : ''}`,
        fix: `sudo guise net setup --redirect-port ${options.redirectPort}`,
      });
    }
  }
  return checks;
}
