import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertLoopbackBind } from './loopback-address.js';

export interface ListeningServer {
  /** `http://<host>:<port>`, no trailing slash (IPv6 hosts in brackets). */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts an HTTP server on a loopback address and port (0 = ephemeral). */
export async function listenOnLoopback(listener: RequestListener, host: string, port: number, service: string): Promise<ListeningServer> {
  assertLoopbackBind(host, service);
  const server: Server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
