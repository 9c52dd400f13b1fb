import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import { hostAndPort } from '@guise/core/listen';
import type { Check } from './check.js';
import { failed, passed } from './check.js';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** Whether the listen address exists on this machine (the metadata address needs `guise net setup`). */
export function listenAddressCheck(host: string): Check {
  if (LOOPBACK.test(host)) return passed(`listen address ${host} is loopback`);
  const local = Object.values(os.networkInterfaces())
    .flat()
    .some((info) => info?.address.toLowerCase() === host.toLowerCase());
  return local
    ? passed(`${host} is an address of this machine`)
    : failed(
        `${host} is not an address of this machine`,
        'sudo guise net setup (or enable guise-net.service)',
      );
}

/**
 * Whether the agent answers on its listen address, or else could bind it: the port is free, or
 * the reason it cannot (privilege, another program, a missing address).
 */
export async function listenPortCheck(host: string, port: number): Promise<Check> {
  const url = `http://${hostAndPort(host, port)}/`;
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await answer.body?.cancel();
    return passed(`the agent answers on ${url} (${answer.status})`);
  } catch {
    // Nothing answers: find out whether the agent could listen there.
  }
  const server = net.createServer();
  try {
    server.listen(port, host);
    await once(server, 'listening');
    return passed(`${host}:${port} is free for the agent (it is not running)`);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'EACCES')
      return failed(
        `binding ${host}:${port} needs CAP_NET_BIND_SERVICE`,
        'run the agent from deploy/systemd/guise.service, or listen on a port above 1023 and use guise net setup --redirect-port',
      );
    if (code === 'EADDRINUSE')
      return failed(
        `${host}:${port} is taken by a program that does not answer HTTP`,
        `find it: ss -ltnp 'sport = :${port}'`,
      );
    if (code === 'EADDRNOTAVAIL')
      return failed(`${host} is not an address of this machine`, 'sudo guise net setup');
    return failed(
      `cannot bind ${host}:${port}: ${code || String(error)}`,
      'check the listen setting',
    );
  } finally {
    server.close();
  }
}
