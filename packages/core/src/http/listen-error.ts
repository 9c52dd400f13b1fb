import { hostAndPort } from './listen-address.js';

/** A listener that could not bind; the message says what the operator can do about it. */
export class ListenError extends Error {
  constructor(
    readonly address: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

/** What to do about the usual bind failures, by errno code. */
const ADVICE: Readonly<Record<string, string>> = {
  EADDRINUSE:
    'the address is already in use (another guise or metadata server?): stop it or choose another address',
  EACCES:
    'permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE (deploy/systemd/guise.service grants it)',
  EADDRNOTAVAIL:
    'no local interface has this address (for the metadata addresses, `guise net setup` adds them to the loopback interface)',
};

/** `error` from `server.listen(port, host)` as a ListenError naming the address and the fix. */
export function explainListenFailure(error: Error, host: string, port: number): ListenError {
  const address = hostAndPort(host, port);
  const code = (error as NodeJS.ErrnoException).code;
  const advice = (code && ADVICE[code]) ?? error.message;
  return new ListenError(address, code, `cannot listen on ${address}: ${advice}`);
}
