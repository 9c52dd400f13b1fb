import type { AgentConfig } from '../config/schema.js';

/** A Vault path the agent reads credentials from, and the capability its request needs. */
export interface SecretsPath {
  readonly path: string;
  readonly capability: 'read' | 'update';
  /** What it is for, in the doctor's report. */
  readonly purpose: string;
}

/**
 * Every secrets path the configuration makes the agent use. Each dialect's sources add theirs
 * here (AWS now): `sts` is a POST (update), `creds` a GET (read), as VaultAwsSource calls them.
 */
export function configuredSecretsPaths(config: AgentConfig): SecretsPath[] {
  if (!config.aws) return [];
  const { vault, name } = config.aws.role;
  return [
    {
      path: `${vault.mount}/${vault.endpoint}/${vault.role}`,
      capability: vault.endpoint === 'sts' ? 'update' : 'read',
      purpose: `AWS role ${name}`,
    },
  ];
}
