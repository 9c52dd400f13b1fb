import type { DependencyContainer } from 'tsyringe';
import { TOKENS } from '@guise/core';
import { registerAwsImds, VaultAwsSource } from '@guise/provider-aws';
import type { AwsConfig } from '../config/schema.js';

/** Mounts the AWS IMDS dialect, serving the configured role from Vault's AWS secrets engine. */
export function registerAws(scope: DependencyContainer, aws: AwsConfig): void {
  const { vault } = aws.role;
  const source = new VaultAwsSource(
    scope.resolve(TOKENS.VaultSession),
    {
      mount: vault.mount,
      role: vault.role,
      endpoint: vault.endpoint,
      ttlSeconds: vault.ttl,
      roleArn: vault.roleArn,
      roleSessionName: vault.roleSessionName,
    },
    scope.resolve(TOKENS.Clock),
    scope.resolve(TOKENS.Logger),
  );
  registerAwsImds(scope, {
    tokens: aws.tokens,
    role: { name: aws.role.name, source },
    instance: aws.instance,
  });
}
