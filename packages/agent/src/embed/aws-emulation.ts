import { TOKENS } from '@guise/core';
import type { AwsCredentials, AwsInstanceConfig, ImdsTokenMode } from '@guise/provider-aws';
import { registerAwsImds } from '@guise/provider-aws';
import { awsMetadataEnv } from '../sdk-env/metadata-env.js';
import type { CredentialCallback, CredentialInput, ValueShape } from './credential-input.js';
import { credentialSourceOf, hasStringFields } from './credential-input.js';
import type { EmulatedDialect } from './emulated-dialect.js';

/** A function the emulator calls whenever it needs a new credential (see `fromCallback`). */
export type AwsCredentialCallback = CredentialCallback<AwsCredentials>;

/** The AWS IMDS an emulator serves: one instance profile role and where its credentials come from. */
export interface AwsEmulation {
  /** The IAM role name IMDS lists under `iam/security-credentials/`. */
  readonly role: string;
  /**
   * Fixed keys (re-stamped with a fresh lifetime on every issue), a callback, or any
   * CredentialSource (e.g. a `VaultAwsSource`). Callbacks may return an `Issued` to set the expiry.
   */
  readonly credentials: CredentialInput<AwsCredentials>;
  /** Lifetime given to static and callback credentials that carry no expiry; default 3600 s. */
  readonly ttlSeconds?: number;
  /** IMDSv2 session tokens as EC2's HttpTokens; default `optional`. */
  readonly tokens?: ImdsTokenMode;
  /** What the instance says about itself (region, instance id, tags, user data, ...). */
  readonly instance?: AwsInstanceConfig;
}

const AWS_CREDENTIALS: ValueShape<AwsCredentials> = {
  description: 'AWS credentials { accessKeyId, secretAccessKey, sessionToken? } (strings)',
  matches: (value): value is AwsCredentials =>
    hasStringFields(value, ['accessKeyId', 'secretAccessKey'], ['sessionToken', 'accountId']),
};

/** The AWS dialect of the emulator. */
export function awsDialect(aws: AwsEmulation): EmulatedDialect {
  return {
    register(scope) {
      const options = {
        ttlSeconds: aws.ttlSeconds,
        clock: scope.resolve(TOKENS.Clock),
        shape: AWS_CREDENTIALS,
      };
      registerAwsImds(scope, {
        tokens: aws.tokens ?? 'optional',
        role: { name: aws.role, source: credentialSourceOf('aws', aws.credentials, options) },
        instance: aws.instance,
      });
    },
    env: (url) => awsMetadataEnv(url, aws.instance?.region),
  };
}
