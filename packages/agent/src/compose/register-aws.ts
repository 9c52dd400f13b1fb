import type { DependencyContainer } from 'tsyringe';
import { TOKENS } from '@guise/core';
import { registerAwsImds, VaultAwsSource } from '@guise/provider-aws';
import type { AwsConfig } from '../config/schema.js';

/** Mounts the AWS IMDS dialect, serving the configured role from Vault's AWS secrets engine. */
export function registerAws(scope: DependencyContainer, aws: AwsConfig): void {
  registerAwsImds(scope, {
    tokens: aws.tokens,
    role: { name: aws.role.name, source: vaultAwsSource(scope, aws) },
    instance: aws.instance,
  });
}

/** The configured role's credentials from Vault's AWS secrets engine, through the scope's session. */
export function vaultAwsSource(scope: DependencyContainer, aws: AwsConfig): VaultAwsSource {
  const { vault } = aws.role;
  return new VaultAwsSource(
    scope.resolve(TOKENS.VaultSession),
    {
      mount: vault.mount,
      role: vault.role,
      endpoint: vault.endpoint,
      ttlSeconds: vault.ttl,
      roleArn: vault.roleArn,
      roleSessionName: vault.roleSessionName,
      propagationDelaySeconds: vault.propagationDelay,
    },
    scope.resolve(TOKENS.Clock),
    scope.resolve(TOKENS.Logger),
  );
}
