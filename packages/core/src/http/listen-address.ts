import net from 'node:net';

/**
 * Whether `host` is an address a metadata endpoint may listen on without the operator saying so
 * explicitly: loopback (127.0.0.0/8, ::1) or link-local (169.254.0.0/16, fe80::/10, and AWS's
 * fd00:ec2::254). Anything else would expose credentials to the network.
 */
export function isLocalOnlyAddress(host: string): boolean {
  if (host === 'localhost') return true;
  const family = net.isIP(host);
  if (family === 4) return host.startsWith('127.') || host.startsWith('169.254.');
  if (family === 6) {
    const h = host.toLowerCase();
    return h === '::1' || /^fe[89ab][0-9a-f]:/.test(h) || h === 'fd00:ec2::254';
  }
  return false;
}

/** A listen address that cannot be used as written; `reason` says what to change. */
export class ListenAddressError extends Error {
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`invalid listen address "${value}": ${reason}`);
    this.name = 'ListenAddressError';
  }
}

/** Splits `HOST:PORT` / `[V6]:PORT`; a bare port means 127.0.0.1. Throws a ListenAddressError otherwise. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(value);
  // A URL is the likeliest slip (an endpoint variable pasted as is): say what to write instead.
  if (scheme) throw new ListenAddressError(value, `drop the scheme and path: "${scheme[1]}"`);
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
  if (!match) throw new ListenAddressError(value, 'expected HOST:PORT, [IPV6]:PORT or PORT');
  const port = Number(match[3]);
  if (port > 65535) throw new ListenAddressError(value, `port ${port} is out of range (0-65535)`);
  return { host: match[1] || match[2] || '127.0.0.1', port };
}

/** `host:port` as URLs and Host headers write it: an IPv6 host in brackets (`[::1]:80`). */
export function hostAndPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
