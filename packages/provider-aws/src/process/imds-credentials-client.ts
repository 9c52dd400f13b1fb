import type { Issued } from '@guise/core';
import type { AwsCredentials } from '../aws-credentials.js';

/** The IMDS endpoint every AWS SDK uses by default. */
export const DEFAULT_IMDS_URL = 'http://169.254.169.254';

/** IMDS answered, but not with a credential (unknown role, 503 while Vault is down, ...). */
export class ImdsCredentialsError extends Error {
  override readonly name = 'ImdsCredentialsError';
}

interface ImdsCredentialDocument {
  readonly Code?: string;
  readonly LastUpdated?: string;
  readonly AccessKeyId?: string;
  readonly SecretAccessKey?: string;
  readonly Token?: string;
  readonly Expiration?: string;
}

/**
 * Fetches a role's credentials from an IMDS endpoint (a guise agent, or EC2's own) the way the
 * SDKs do with IMDSv2: a session token first (a short one: it is used once), then the role's
 * document with it. Falls back to IMDSv1 only when the token call is refused with 403/404/405,
 * as SDKs do for endpoints without IMDSv2.
 */
export async function fetchImdsCredentials(
  baseUrl: string,
  role: string,
  options: { timeoutMs?: number } = {},
): Promise<Issued<AwsCredentials>> {
  const base = baseUrl.replace(/\/+$/, '');
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5_000);
  const tokenAnswer = await fetch(`${base}/latest/api/token`, {
    method: 'PUT',
    headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
    signal,
  });
  let headers: Record<string, string> = {};
  if (tokenAnswer.ok) headers = { 'X-aws-ec2-metadata-token': await tokenAnswer.text() };
  else if (![403, 404, 405].includes(tokenAnswer.status)) {
    throw new ImdsCredentialsError(`${base}: IMDS token request answered ${tokenAnswer.status}`);
  }
  const path = `/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`;
  const answer = await fetch(`${base}${path}`, { headers, signal });
  if (!answer.ok) {
    throw new ImdsCredentialsError(
      `${base}${path} answered ${answer.status}${answer.status === 404 ? ` (is the role "${role}" the one the agent serves?)` : ''}`,
    );
  }
  const document = (await answer.json()) as ImdsCredentialDocument;
  const { Code, AccessKeyId, SecretAccessKey, Token, Expiration, LastUpdated } = document;
  const expiresAt = Date.parse(Expiration ?? '');
  if (Code !== 'Success' || !AccessKeyId || !SecretAccessKey || Number.isNaN(expiresAt)) {
    throw new ImdsCredentialsError(`${base}${path}: not a credential document (Code ${Code})`);
  }
  const issuedAt = Date.parse(LastUpdated ?? '');
  return {
    value: {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      ...(Token ? { sessionToken: Token } : {}),
    },
    issuedAt: Number.isNaN(issuedAt) ? Date.now() : issuedAt,
    expiresAt,
  };
}
