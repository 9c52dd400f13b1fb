import { readFileSync } from 'node:fs';

/**
 * TCP segments sent in this network namespace so far (`OutSegs` of the `Tcp:` lines of
 * /proc/net/snmp). On loopback every segment is sent once and received once, so `OutSegs` alone
 * counts each segment on the wire exactly once, whichever side sent it.
 */
export function parseTcpOutSegments(snmp: string): number {
  const [names, values] = snmp.split('\n').filter((line) => line.startsWith('Tcp:'));
  if (!names || !values) throw new Error('no Tcp: lines in /proc/net/snmp');
  const index = names.split(/\s+/).indexOf('OutSegs');
  const value = Number(values.split(/\s+/)[index]);
  if (index < 0 || !Number.isInteger(value)) throw new Error('no Tcp OutSegs in /proc/net/snmp');
  return value;
}

/** Counts segments over a stretch of time; undefined where /proc/net/snmp cannot be read (not Linux). */
export function startSegmentCount(): (() => number) | undefined {
  const read = () => parseTcpOutSegments(readFileSync('/proc/net/snmp', 'utf8'));
  let before: number;
  try {
    before = read();
  } catch {
    return undefined;
  }
  return () => read() - before;
}
