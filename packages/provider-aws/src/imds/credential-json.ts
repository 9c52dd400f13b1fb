import type { Issued } from '@guise/core';
import { RenderCache } from '@guise/core';
import type { AwsCredentials } from '../aws-credentials.js';
import { awsPrettyJson, awsTimestamp } from './aws-json.js';

/**
 * `iam/security-credentials/<role>` exactly as EC2 prints it: keys in the order `Code, LastUpdated,
 * Type, AccessKeyId, SecretAccessKey, Token, Expiration`, whole-second UTC timestamps
 * (reference/aws-imds.md §0.4, §1.10). `LastUpdated` is when the credential was issued.
 *
 * Long-term IAM user keys have no session token; botocore and the JS SDK both require `Token` to be
 * a string and send `X-Amz-Security-Token` only when it is non-empty, so it is served as `""`.
 */
export function credentialJson(issued: Issued<AwsCredentials>): string {
  return awsPrettyJson({
    Code: 'Success',
    LastUpdated: awsTimestamp(issued.issuedAt),
    Type: 'AWS-HMAC',
    AccessKeyId: issued.value.accessKeyId,
    SecretAccessKey: issued.value.secretAccessKey,
    Token: issued.value.sessionToken ?? '',
    Expiration: awsTimestamp(issued.expiresAt),
  });
}

const rendered = new RenderCache<Buffer>();

/**
 * `credentialJson` as bytes, rendered once per issued credential rather than once per request:
 * the cached path is the hot one, and rendering it was the largest cost of a request of guise's
 * own (npm run bench, docs/BENCHMARKS.md). Bytes rather than a string, so that Node writes them
 * without encoding the body again on every response.
 */
export function credentialJsonBytes(issued: Issued<AwsCredentials>): Buffer {
  return rendered.get(issued, '', () => Buffer.from(credentialJson(issued)));
}

/** `iam/info` (§1.10). `lastUpdated` is when the instance profile was attached: agent start. */
export function iamInfoJson(profile: { arn: string; id: string; lastUpdated: number }): string {
  return awsPrettyJson({
    Code: 'Success',
    LastUpdated: awsTimestamp(profile.lastUpdated),
    InstanceProfileArn: profile.arn,
    InstanceProfileId: profile.id,
  });
}
