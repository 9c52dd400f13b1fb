/**
 * A configuration the agent refuses to run with. `problems` are complete lines of the form
 * `config.yaml: vault.auth.approle.secretId: expected one of file, env, value`, one per mistake, so
 * an operator fixes them all in one go; the CLI prints them and exits with status 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}
