import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';

/** The parts of `sys/health` the doctor reads (reference/vault-api.md). */
export interface VaultHealth {
  readonly status: number;
  readonly sealed?: boolean;
  readonly standby?: boolean;
  /** Enterprise: a standby that serves reads itself (473 on health unless `perfstandbyok`). */
  readonly performance_standby?: boolean;
  readonly version?: string;
  /** Vault's clock, in Unix seconds. */
  readonly server_time_utc?: number;
}

/**
 * `GET /v1/sys/health`, unauthenticated, with standbys and performance standbys counted as
 * healthy (200), trusting `caFile` when given, as the agent's session does.
 */
export async function fetchVaultHealth(
  address: string,
  caFile: string | undefined,
  timeoutMs = 5_000,
): Promise<VaultHealth> {
  const url = new URL('/v1/sys/health?standbyok=true&perfstandbyok=true', address);
  const ca = caFile === undefined ? undefined : await readFile(caFile, 'utf8');
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs, ...(ca ? { ca } : {}) }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, ...(JSON.parse(body) as object) });
        } catch {
          reject(new Error(`answered ${response.statusCode} without Vault's health JSON`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
