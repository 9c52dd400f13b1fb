import type { AliasAddress } from './loopback-alias.js';
import { netFailure } from './net-errors.js';
import { runTool } from './run-tool.js';

/** The nftables table guise owns; nothing else is touched. One per address family. */
const TABLE = 'guise';
const NFT = { debianPackage: 'nftables' };

function familyOf(alias: AliasAddress): 'ip' | 'ip6' {
  return alias.family === 6 ? 'ip6' : 'ip';
}

function target(alias: AliasAddress, port: number): string {
  return alias.family === 6 ? `[${alias.address}]:${port}` : `${alias.address}:${port}`;
}

/**
 * Sends connections to `address:80` made on this machine to `address:port`, where an agent
 * without CAP_NET_BIND_SERVICE listens. DNAT (not REDIRECT, which would rewrite the destination to
 * 127.0.0.1) keeps the metadata address, so the agent can stay bound to it alone. The table is
 * created, emptied and filled in one atomic `nft -f` transaction, so running it again replaces the
 * rule instead of adding a second one.
 */
export async function installRedirect(
  aliases: readonly AliasAddress[],
  port: number,
): Promise<void> {
  const script = aliases
    .map((alias) => {
      const family = familyOf(alias);
      return [
        `table ${family} ${TABLE}`,
        `delete table ${family} ${TABLE}`,
        `table ${family} ${TABLE} {`,
        '  chain output {',
        '    type nat hook output priority -100; policy accept;',
        `    ${family} daddr ${alias.address} tcp dport 80 dnat to ${target(alias, port)}`,
        '  }',
        '}',
      ].join('\n');
    })
    .join('\n');
  const done = await runTool('nft', ['-f', '-'], { ...NFT, input: `${script}\n` });
  if (done.code !== 0) throw netFailure(`installing the port-80 redirect to ${port}`, done.stderr);
}

/** Removes guise's tables, if present. */
export async function removeRedirect(aliases: readonly AliasAddress[]): Promise<void> {
  const script = aliases
    .map((alias) => `table ${familyOf(alias)} ${TABLE}\ndelete table ${familyOf(alias)} ${TABLE}`)
    .join('\n');
  const done = await runTool('nft', ['-f', '-'], { ...NFT, input: `${script}\n` });
  if (done.code !== 0) throw netFailure('removing the port-80 redirect', done.stderr);
}

/** The port `alias:80` is redirected to, or undefined when there is no such rule. */
export async function redirectedPort(alias: AliasAddress): Promise<number | undefined> {
  const shown = await runTool('nft', ['list', 'table', familyOf(alias), TABLE], NFT);
  if (shown.code !== 0) return undefined; // no table: no redirect
  const escaped = alias.address.replace(/[.:]/g, (c) => `\\${c}`);
  const match = new RegExp(`dport 80 dnat to \\[?${escaped}\\]?:(\\d+)`).exec(shown.stdout);
  return match ? Number(match[1]) : undefined;
}
