import { expect } from 'vitest';
import type { SeededVault } from '../support/seeded-agent.js';

const MINUTE = 60_000;

/** One client's request and what came back, times on the agents' clock. */
export interface Answer {
  readonly credential: RotatingCredential;
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly status: number;
  readonly body: string;
}

/**
 * One credential clients ask an agent for (a "role"): an AWS role's keys, a GCE service account
 * token for a scope set, an Azure managed identity's token for a resource. Each knows how to ask,
 * how to check an answer against what the fake Vault and clouds issued, and when it rotates.
 */
export interface RotatingCredential {
  readonly name: string;
  /**
   * Minutes after its issue within which the agent replaces it: the broker serves a credential
   * down to a floor (`floorMs`), and replaces it 10–20 % of its lifetime (jittered) before that.
   */
  readonly replacedWithin: readonly [number, number];
  /** The least lifetime a served credential has left (the dialect's serving floor). */
  readonly floorMs: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** How often the backend issued this credential so far, as the fakes recorded it. */
  issues(): number;
  /**
   * Asserts that `answer` is a complete, valid credential of this role (not another's), served
   * with more than `floorMs` left; returns what identifies it (a key id, the token itself).
   */
  verify(answer: Answer): string;
}

/** Successful Vault requests to `path` (`/v1/aws/sts/alpha`). */
export function vaultIssues(seeded: SeededVault, path: string): number {
  return seeded.vault.requests.filter((r) => r.path === path && r.status === 200).length;
}

/**
 * Unexpired when received, and served at some moment after sentAt with more than the floor left;
 * `roundedDownMs`: how much the answer may have rounded the expiry down.
 */
function expectServable(expiresAt: number, answer: Answer, roundedDownMs = 0): void {
  expect(expiresAt).toBeGreaterThan(answer.receivedAt);
  expect(expiresAt + roundedDownMs - answer.sentAt).toBeGreaterThan(answer.credential.floorMs);
}

const AWS_KEYS = [
  'Code',
  'LastUpdated',
  'Type',
  'AccessKeyId',
  'SecretAccessKey',
  'Token',
  'Expiration',
];

/** The IMDS credentials of IAM role `role` (Vault `aws/sts/<role>`), from the agent at `agentUrl`. */
export function awsRole(seeded: SeededVault, agentUrl: string, role: string): RotatingCredential {
  return {
    name: `aws ${role}`,
    // 1 h credentials, served down to 20 min left: replaced 28–34 min after issue.
    replacedWithin: [28, 34],
    floorMs: 20 * MINUTE,
    url: `${agentUrl}/latest/meta-data/iam/security-credentials/${role}`,
    headers: {},
    issues: () => vaultIssues(seeded, `/v1/aws/sts/${role}`),
    verify(answer) {
      const credential = JSON.parse(answer.body) as Record<string, string>;
      expect(Object.keys(credential)).toEqual(AWS_KEYS);
      const issuedFor = seeded.vault.aws.findAccessKey(credential['AccessKeyId'] ?? '');
      expect(issuedFor?.arn).toContain(`:assumed-role/${role}/`);
      expect(issuedFor?.secretAccessKey).toBe(credential['SecretAccessKey']);
      expect(issuedFor?.sessionToken).toBe(credential['Token']);
      // `Expiration` is rounded down to the second.
      expectServable(Date.parse(credential['Expiration'] ?? ''), answer, 999);
      return credential['AccessKeyId'] ?? '';
    },
  };
}

/**
 * The GCE token of the default service account from Vault roleset `roleset` (whose account is
 * `email`, with `scopes`): the account's own token, or with `?scopes=` one of its `scopedTokens`.
 */
export function gcpToken(
  seeded: SeededVault,
  agentUrl: string,
  { roleset, email, scopes, query = '' }: RolesetToken,
): RotatingCredential {
  return {
    name: `gcp ${roleset}`,
    // 1 h tokens, served down to 5 min 1 s left as GCE does: replaced 43–49 min after issue.
    replacedWithin: [43, 49],
    floorMs: 5 * MINUTE + 1_000,
    url: `${agentUrl}/computeMetadata/v1/instance/service-accounts/default/token${query}`,
    headers: { 'Metadata-Flavor': 'Google' },
    issues: () => vaultIssues(seeded, `/v1/gcp/roleset/${roleset}/token`),
    verify(answer) {
      const token = JSON.parse(answer.body) as Record<string, unknown>;
      expect(Object.keys(token)).toEqual(['access_token', 'expires_in', 'token_type']);
      expect(token['token_type']).toBe('Bearer');
      const issued = seeded.vault.gcp.findAccessToken(String(token['access_token']));
      expect(issued).toMatchObject({ email, scopes });
      const expiresAt = issued?.expiresAtMs ?? 0;
      // Whole seconds left at the moment it was served, between sentAt and receivedAt.
      const expiresInMs = Number(token['expires_in']) * 1000;
      expect(expiresInMs).toBeLessThanOrEqual(expiresAt - answer.sentAt);
      expect(expiresInMs).toBeGreaterThan(expiresAt - answer.receivedAt - 1_000);
      expectServable(expiresAt, answer);
      return String(token['access_token']);
    },
  };
}

export interface RolesetToken {
  readonly roleset: string;
  readonly email: string;
  readonly scopes: readonly string[];
  /** `?scopes=…` selecting a scoped token; none for the account's default token. */
  readonly query?: string;
}

const AZURE_KEYS = [
  'access_token',
  'client_id',
  'expires_in',
  'expires_on',
  'ext_expires_in',
  'not_before',
  'refresh_token',
  'resource',
  'token_type',
];

/**
 * The IMDS token for `resource` of the managed identity behind Vault Azure role `vaultRole`:
 * the system-assigned one, or the user-assigned one selected by `clientId`. The principal is the
 * one Vault issued for that role (`vault-<role>-<time>`); the token, Entra's for that principal.
 */
export function azureToken(
  seeded: SeededVault,
  agentUrl: string,
  { vaultRole, clientId, resource }: IdentityToken,
): RotatingCredential {
  const tenant = seeded.azureCloud.tenant;
  const principalOf = (appId: string | undefined) =>
    tenant.principals().find((principal) => principal.appId === appId);
  const isOwnPrincipal = (appId: string | undefined) =>
    new RegExp(`^vault-${vaultRole}-\\d+$`).test(principalOf(appId)?.displayName ?? '');
  const selector = clientId ? `&client_id=${clientId}` : '';
  return {
    name: `azure ${vaultRole} ${resource}`,
    // Entra's 3,599 s tokens, served down to 20 min left: replaced 28–34 min after issue.
    replacedWithin: [28, 34],
    floorMs: 20 * MINUTE,
    url: `${agentUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}${selector}`,
    headers: { Metadata: 'true' },
    issues: () =>
      seeded.azureCloud.requests.filter(
        (r) => r.status === 200 && r.scope === `${resource}/.default` && isOwnPrincipal(r.clientId),
      ).length,
    verify(answer) {
      const token = JSON.parse(answer.body) as Record<string, string>;
      expect(Object.keys(token)).toEqual(AZURE_KEYS);
      const claims = seeded.azureCloud.verifyToken(token['access_token'] ?? '');
      expect(claims).toMatchObject({ aud: resource, tid: tenant.tenantId });
      expect(isOwnPrincipal(claims?.appid)).toBe(true);
      expect(token).toMatchObject({
        resource,
        client_id: clientId ?? claims?.appid,
        expires_on: String(claims?.exp),
        token_type: 'Bearer',
      });
      expectServable((claims?.exp ?? 0) * 1000, answer);
      return token['access_token'] ?? '';
    },
  };
}

export interface IdentityToken {
  readonly vaultRole: string;
  /** Selects a user-assigned identity; none for the system-assigned one. */
  readonly clientId?: string;
  readonly resource: string;
}
