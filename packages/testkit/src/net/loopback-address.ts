import { isIP } from 'node:net';

/** Whether `host` is a loopback address (127.0.0.0/8, ::1, ::ffff:127.x) or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6)
    return bare === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(bare) || /^::ffff:127\./.test(bare);
  return false;
}

/** Refuses to bind a fake service anywhere but loopback (the testkit's absolute safety rule). */
export function assertLoopbackBind(host: string, service: string): void {
  if (!isLoopbackHost(host)) {
    throw new Error(`${service} binds to loopback only; refusing host ${JSON.stringify(host)}`);
  }
}
