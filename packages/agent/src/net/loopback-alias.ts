import { readFile } from 'node:fs/promises';
import { netFailure } from './net-errors.js';
import { runTool } from './run-tool.js';

/** An address the metadata endpoint is reached at, as put on the loopback interface. */
export interface AliasAddress {
  readonly address: string;
  readonly prefix: 32 | 128;
  readonly family: 4 | 6;
}

/** The address every cloud's SDKs try first. */
export const METADATA_IPV4: AliasAddress = { address: '169.254.169.254', prefix: 32, family: 4 };
/** AWS's IPv6 IMDS address (used by SDKs in IPv6 endpoint mode). */
export const METADATA_IPV6: AliasAddress = { address: 'fd00:ec2::254', prefix: 128, family: 6 };

const LOOPBACK = 'lo';
const IP = { debianPackage: 'iproute2' };

/** `169.254.169.254/32` */
export function cidr(alias: AliasAddress): string {
  return `${alias.address}/${alias.prefix}`;
}

/** Whether IPv6 is enabled on the loopback interface (the kernel may have it off entirely). */
export async function loopbackHasIpv6(
  sysctl = `/proc/sys/net/ipv6/conf/${LOOPBACK}/disable_ipv6`,
): Promise<boolean> {
  try {
    return (await readFile(sysctl, 'utf8')).trim() === '0';
  } catch {
    return false; // no IPv6 in this kernel or namespace
  }
}

/** The addresses the loopback interface has now, as `address/prefix`, and whether it is up. */
export async function loopbackState(): Promise<{ up: boolean; addresses: Set<string> }> {
  const shown = await runTool('ip', ['-j', 'addr', 'show', 'dev', LOOPBACK], IP);
  if (shown.code !== 0) throw netFailure(`ip addr show dev ${LOOPBACK}`, shown.stderr);
  const [link] = JSON.parse(shown.stdout) as Array<{
    flags?: string[];
    addr_info?: Array<{ local: string; prefixlen: number }>;
  }>;
  return {
    up: link?.flags?.includes('UP') ?? false,
    addresses: new Set((link?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`)),
  };
}

export async function bringLoopbackUp(): Promise<void> {
  const done = await runTool('ip', ['link', 'set', LOOPBACK, 'up'], IP);
  if (done.code !== 0) throw netFailure(`ip link set ${LOOPBACK} up`, done.stderr);
}

export async function addAlias(alias: AliasAddress): Promise<void> {
  const family = alias.family === 6 ? '-6' : '-4';
  const done = await runTool('ip', [family, 'addr', 'add', cidr(alias), 'dev', LOOPBACK], IP);
  if (done.code !== 0) throw netFailure(`adding ${cidr(alias)} to ${LOOPBACK}`, done.stderr);
}

export async function removeAlias(alias: AliasAddress): Promise<void> {
  const family = alias.family === 6 ? '-6' : '-4';
  const done = await runTool('ip', [family, 'addr', 'del', cidr(alias), 'dev', LOOPBACK], IP);
  if (done.code !== 0) throw netFailure(`removing ${cidr(alias)} from ${LOOPBACK}`, done.stderr);
}
