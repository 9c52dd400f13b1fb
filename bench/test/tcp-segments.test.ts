import { describe, expect, it } from 'vitest';
import { parseTcpOutSegments } from '../src/measure/tcp-segments.js';

// /proc/net/snmp as Linux 6 writes it (abridged to the Ip and Tcp pairs; Udp follows).
const SNMP = `Ip: Forwarding DefaultTTL InReceives
Ip: 1 64 1234
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
Tcp: 1 200 120000 -1 1769662 1769479 99 18143 10 41108924 41106526 2507 0 12556 0
Udp: InDatagrams NoPorts
Udp: 5 6
`;

describe('parseTcpOutSegments', () => {
  it('reads OutSegs from the Tcp value line by its header position', () => {
    expect(parseTcpOutSegments(SNMP)).toBe(41106526);
  });

  it('fails when the Tcp lines or OutSegs are missing', () => {
    expect(() => parseTcpOutSegments('Ip: a\nIp: 1\n')).toThrow(/no Tcp: lines/);
    expect(() => parseTcpOutSegments('Tcp: InSegs\nTcp: 5\n')).toThrow(/no Tcp OutSegs/);
  });
});
