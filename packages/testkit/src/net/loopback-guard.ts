import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { isLoopbackHost } from './loopback-address.js';

export interface LoopbackGuardOptions {
  /**
   * Extra hosts to let through (exact match). Only for suites that have verified they run inside
   * a private network namespace of their own, e.g. an agent on 169.254.169.254 bound to `lo`.
   */
  readonly allowHosts?: readonly string[];
}

/** The error a blocked connection attempt throws (synchronously, before any packet is sent). */
export class LoopbackGuardError extends Error {
  readonly code = 'ERR_LOOPBACK_GUARD';

  constructor(what: string, target: string) {
    super(
      `loopback guard: refused ${what} to ${target}. Tests may only reach loopback addresses ` +
        '(127.0.0.0/8, ::1, localhost); set explicit endpoints, regions and credentials so that ' +
        'no SDK falls back to a metadata service or the internet.',
    );
    this.name = 'LoopbackGuardError';
  }
}

const INSTALLED = Symbol.for('guise.testkit.loopbackGuard');
let allowedHosts = new Set<string>();

type ConnectFunction = (this: net.Socket, ...args: unknown[]) => net.Socket;
type SendFunction = (this: dgram.Socket, ...args: unknown[]) => void;
type LookupFunction = (hostname: string, ...args: unknown[]) => unknown;

/**
 * Makes every in-process attempt to reach a non-loopback address throw immediately: TCP and TLS
 * connects (`net.Socket.prototype.connect`, which http, https, http2, undici/fetch, axios and the
 * AWS SDK all end up in), UDP sends and connects, and `dns.lookup` of any name but `localhost`
 * (resolving a name would itself send a packet to a DNS server). Install it in every package's
 * vitest setup. Calling it again only updates `allowHosts`.
 */
export function installLoopbackGuard(options: LoopbackGuardOptions = {}): void {
  allowedHosts = new Set(options.allowHosts ?? []);
  const marked = net.Socket.prototype as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;

  const socketPrototype = net.Socket.prototype as unknown as { connect: ConnectFunction };
  const originalConnect = socketPrototype.connect;
  socketPrototype.connect = function guardedConnect(
    this: net.Socket,
    ...args: unknown[]
  ): net.Socket {
    const target = tcpTarget(args);
    if (target) assertAllowed('a connection', target.host, target.port);
    return originalConnect.apply(this, args);
  };

  const udpPrototype = dgram.Socket.prototype as unknown as {
    send: SendFunction;
    connect: SendFunction;
  };
  for (const method of ['send', 'connect'] as const) {
    const original = udpPrototype[method];
    udpPrototype[method] = function guardedUdp(this: dgram.Socket, ...args: unknown[]): void {
      // The only string argument besides a string message is the address.
      const address = args.slice(1).find((arg): arg is string => typeof arg === 'string');
      if (address !== undefined) assertAllowed(`a UDP ${method}`, address, undefined);
      original.apply(this, args);
    };
  }

  // A refused name is thrown at once by dns.lookup (and rejects dns.promises.lookup): nothing
  // reaches a resolver.
  const dnsModule = dns as unknown as {
    lookup: LookupFunction;
    promises: { lookup: LookupFunction };
  };
  const originalLookup = dnsModule.lookup;
  dnsModule.lookup = (hostname: string, ...args: unknown[]) => {
    assertResolvable(hostname);
    return originalLookup(hostname, ...args);
  };
  const originalPromisesLookup = dnsModule.promises.lookup;
  dnsModule.promises.lookup = async (hostname: string, ...args: unknown[]) => {
    assertResolvable(hostname);
    return originalPromisesLookup(hostname, ...args);
  };
  syncBuiltinESMExports();
}

/** The host and port a `Socket#connect` call targets; undefined for Unix sockets and pipes. */
function tcpTarget(args: readonly unknown[]): { host: string; port: unknown } | undefined {
  // net.connect() hands over its normalized arguments as one array: [options, callback].
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // IPC path
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; port?: unknown; path?: unknown };
    if (typeof options.path === 'string') return undefined;
    return {
      host: typeof options.host === 'string' && options.host !== '' ? options.host : 'localhost',
      port: options.port,
    };
  }
  const host = typeof args[1] === 'string' && args[1] !== '' ? args[1] : 'localhost';
  return { host, port: first };
}

function assertResolvable(hostname: string): void {
  if (net.isIP(hostname) === 0) assertAllowed('a DNS lookup', hostname, undefined);
}

function assertAllowed(what: string, host: string, port: unknown): void {
  if (isLoopbackHost(host) || allowedHosts.has(host)) return;
  const shown = net.isIPv6(host) ? `[${host}]` : host;
  throw new LoopbackGuardError(what, port === undefined ? shown : `${shown}:${String(port)}`);
}
