/** The process lacks CAP_NET_ADMIN for a change it was asked to make. */
export class NetPrivilegeError extends Error {
  override readonly name = 'NetPrivilegeError';
}

/** `ip`/`nft` refused a change for another reason; `detail` is what the tool said. */
export class NetSetupError extends Error {
  override readonly name = 'NetSetupError';
}

const NOT_PERMITTED = /Operation not permitted|Permission denied/i;

/** Turns a failed tool run into the error an operator can act on. */
export function netFailure(what: string, stderr: string): Error {
  if (NOT_PERMITTED.test(stderr)) {
    return new NetPrivilegeError(
      `${what}: not permitted. This needs CAP_NET_ADMIN: run it as root (sudo guise net setup), ` +
        'or let systemd do it (deploy/systemd/guise.service.d/network.conf)',
    );
  }
  return new NetSetupError(`${what}: ${stderr.trim()}`);
}
