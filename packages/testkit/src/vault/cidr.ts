import { BlockList, isIPv6 } from 'node:net';

/** Whether `address` lies in one of `cidrs` (`10.0.0.0/8`, a bare IP, IPv6 too). */
export function addressInCidrs(address: string, cidrs: readonly string[]): boolean {
  const blocks = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', bits] = cidr.split('/');
    const family = isIPv6(network) ? 'ipv6' : 'ipv4';
    if (bits === undefined) blocks.addAddress(network, family);
    else blocks.addSubnet(network, Number(bits), family);
  }
  return blocks.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}
