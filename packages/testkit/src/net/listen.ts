import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { ListMethodConnection } from './list-method-shim.js';
import { assertLoopbackBind } from './loopback-address.js';

export interface ListeningServer {
  /** `http(s)://<host>:<port>`, no trailing slash (IPv6 hosts in brackets). */
  readonly url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  /** For error messages: which fake refused a non-loopback host. */
  readonly service: string;
  /** Accept Vault's `LIST` verb, which Node's HTTP parser would refuse (see list-method-shim). */
  readonly acceptListMethod?: boolean;
  /** Serve HTTPS with this certificate chain and key (PEM) instead of plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/**
 * Serves `listener` on a loopback address only. The TCP server is ours and hands each connection
 * to an HTTP server that never listens itself, so that connections can be shimmed and all of them
 * closed on `close()`.
 */
export async function listenOnLoopback(
  listener: RequestListener,
  options: ListenOptions,
): Promise<ListeningServer> {
  assertLoopbackBind(options.host, options.service);
  // A TLS server wraps the raw sockets handed to it by 'connection' just as it would its own.
  const http = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  const sockets = new Set<Socket>();
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    http.emit('connection', options.acceptListMethod ? new ListMethodConnection(socket) : socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const address = tcp.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        tcp.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
