import type { Issued } from '@guise/core';
import type { AwsCredentials } from '../aws-credentials.js';
import { awsTimestamp } from '../imds/aws-json.js';

/**
 * What an AWS `credential_process` prints (reference/aws-imds.md §2.2): `Version` the number 1
 * (the JS SDK compares strictly), the keys, `SessionToken` only for temporary credentials, and
 * `Expiration` so that SDKs and the CLI run the process again before it passes.
 */
export function credentialProcessJson(issued: Issued<AwsCredentials>): string {
  const { accessKeyId, secretAccessKey, sessionToken } = issued.value;
  return JSON.stringify({
    Version: 1,
    AccessKeyId: accessKeyId,
    SecretAccessKey: secretAccessKey,
    ...(sessionToken ? { SessionToken: sessionToken } : {}),
    Expiration: awsTimestamp(issued.expiresAt),
  });
}
