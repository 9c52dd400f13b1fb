import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { AzureHarness } from './support.js';
import { get, startAzure } from './support.js';

/**
 * The source pair behind a managed identity: the Vault service principal (one broker credential,
 * its lease renewed while tokens are being made with it, re-issued when renewal stops extending
 * it) and Entra tokens per resource (refreshed ahead of expiry, retried through Entra's
 * propagation window).
 */
const ARM = 'https://management.azure.com/';
const TOKEN = `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${ARM}`;
const MINUTE = 60_000;

let azure: AzureHarness | undefined;
afterEach(async () => {
  await azure?.close();
  azure = undefined;
});

async function tokenClaims(harness: AzureHarness) {
  const res = await get(harness.port, TOKEN);
  expect(res.status, res.text).toBe(200);
  const claims = harness.azure.verifyToken(res.json<{ access_token: string }>().access_token);
  if (!claims) throw new Error('not a token of the fake Entra');
  return claims;
}

const credsReads = (harness: AzureHarness) =>
  harness.vault.requests.filter((r) => r.path === '/v1/azure/creds/system').length;
const renewals = (harness: AzureHarness) =>
  harness.vault.requests.filter((r) => r.path.startsWith('/v1/sys/leases/renew')).length;

describe('Vault service principal → Entra token', () => {
  it('retries Entra through the window in which a new principal is unknown (AADSTS700016)', async () => {
    azure = await startAzure({ identities: 'system', propagationDelayMs: 1_500 });
    const pending = tokenClaims(azure);
    // The tenant replicates on the test's clock; the agent retries Entra in real time meanwhile.
    await sleep(600);
    await azure.clock.advance(1_500);
    const claims = await pending;
    expect(claims.tid).toBe(azure.tenant.tenantId);
    const refused = azure.azure.requests.filter(
      (r) => r.path.endsWith('/oauth2/v2.0/token') && r.status === 400,
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(credsReads(azure)).toBe(1);
  });

  it('renews the principal’s lease while tokens are made with it, then issues a new principal', async () => {
    azure = await startAzure({ identities: 'system', spTtl: '1h', spMaxTtl: '90m' });
    const first = await tokenClaims(azure);
    // 41 min later the token has 19 min left, under the 20-min serving floor: a new token is
    // made, and the principal (19 min left too) is renewed in place — same app, one Vault read.
    await azure.clock.advance(41 * MINUTE);
    const second = await tokenClaims(azure);
    expect(second.exp).toBeGreaterThan(first.exp);
    expect(second.appid).toBe(first.appid);
    expect(credsReads(azure)).toBe(1);
    expect(renewals(azure)).toBe(1);
    // At 82 min the principal's lease can only reach its 90-min max TTL: renewal no longer
    // extends it enough, so Vault issues a new principal, and tokens come from it.
    await azure.clock.advance(41 * MINUTE);
    const third = await tokenClaims(azure);
    expect(third.appid).not.toBe(first.appid);
    expect(credsReads(azure)).toBe(2);
    expect(azure.tenant.principals().some((p) => p.appId === third.appid)).toBe(true);
  });

  it('serves the cached token while Vault is down', async () => {
    azure = await startAzure({ identities: 'system' });
    const first = await tokenClaims(azure);
    azure.vault.faults.failNext(100, 400, 'permission denied');
    await azure.clock.advance(10 * MINUTE);
    expect((await tokenClaims(azure)).exp).toBe(first.exp);
  });
});
