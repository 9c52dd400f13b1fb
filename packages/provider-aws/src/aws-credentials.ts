/**
 * An AWS credential as every AWS dialect serves it. `sessionToken` is absent for long-term IAM
 * user keys (Vault's `iam_user` type); `accountId` is known when Vault returns the role's ARN.
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly accountId?: string;
}
