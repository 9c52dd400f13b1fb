import type { CredentialSource, Issued } from '@guise/core';
import { fromCallback, fromStatic, TOKENS } from '@guise/core';
import type { AwsCredentials, AwsInstanceConfig, ImdsTokenMode } from '@guise/provider-aws';
import { registerAwsImds } from '@guise/provider-aws';
import type { EmulatedDialect } from './emulated-dialect.js';

/** A function the emulator calls whenever it needs a new credential (see `fromCallback`). */
export type AwsCredentialCallback = () =>
  AwsCredentials | Issued<AwsCredentials> | Promise<AwsCredentials | Issued<AwsCredentials>>;

/** The AWS IMDS an emulator serves: one instance profile role and where its credentials come from. */
export interface AwsEmulation {
  /** The IAM role name IMDS lists under `iam/security-credentials/`. */
  readonly role: string;
  /**
   * Fixed keys (re-stamped with a fresh lifetime on every issue), a callback, or any
   * CredentialSource (e.g. a `VaultAwsSource`). Callbacks may return an `Issued` to set the expiry.
   */
  readonly credentials: AwsCredentials | AwsCredentialCallback | CredentialSource<AwsCredentials>;
  /** Lifetime given to static and callback credentials that carry no expiry; default 3600 s. */
  readonly ttlSeconds?: number;
  /** IMDSv2 session tokens as EC2's HttpTokens; default `optional`. */
  readonly tokens?: ImdsTokenMode;
  /** What the instance says about itself (region, instance id, tags, user data, ...). */
  readonly instance?: AwsInstanceConfig;
}

/** The AWS dialect of the emulator. */
export function awsDialect(aws: AwsEmulation): EmulatedDialect {
  return {
    register(scope) {
      const options = { ttlSeconds: aws.ttlSeconds, clock: scope.resolve(TOKENS.Clock) };
      registerAwsImds(scope, {
        tokens: aws.tokens ?? 'optional',
        role: { name: aws.role, source: credentialSource(aws.credentials, options) },
        instance: aws.instance,
      });
    },
    env(url) {
      const region = aws.instance?.region;
      return {
        // botocore appends a missing slash and the JS SDK replaces the path: both accept this.
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `${url}/`,
        // Credentials in the environment or a profile come before IMDS in every SDK's chain.
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ...(region === undefined ? {} : { AWS_REGION: region, AWS_DEFAULT_REGION: region }),
      };
    },
  };
}

function credentialSource(
  credentials: AwsEmulation['credentials'],
  options: Parameters<typeof fromStatic>[2],
): CredentialSource<AwsCredentials> {
  if (typeof credentials === 'function') return fromCallback('callback:aws', credentials, options);
  if ('issue' in credentials) return credentials;
  return fromStatic('static:aws', credentials, options);
}
