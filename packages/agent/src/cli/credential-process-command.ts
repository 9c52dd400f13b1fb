import type { Issued, Logger } from '@guise/core';
import { JsonLogger, TOKENS } from '@guise/core';
import type { AwsCredentials } from '@guise/provider-aws';
import {
  credentialProcessJson,
  DEFAULT_IMDS_URL,
  fetchImdsCredentials,
  ImdsCredentialsError,
} from '@guise/provider-aws';
import { buildAgentContainer } from '../compose/build-agent-container.js';
import { vaultAwsSource } from '../compose/register-aws.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';

export interface CredentialProcessOptions {
  readonly role: string;
  /** A running agent (or any IMDS) to ask; default the metadata address. */
  readonly from?: string;
  /** Instead: log in to Vault with this agent configuration and issue directly. */
  readonly config?: string;
}

/**
 * `guise credential-process`: AWS `credential_process` JSON on stdout, for hosts where the agent
 * may not bind the metadata address. Nothing but that JSON goes to stdout; errors go to stderr
 * (never a secret: the logger redacts, and failures carry no credential).
 */
export async function runCredentialProcessCommand(
  options: CredentialProcessOptions,
): Promise<ExitCode> {
  if (options.from !== undefined && options.config !== undefined) {
    throw new ConfigError(['--from and --config exclude each other: ask an agent, or Vault']);
  }
  const logger = new JsonLogger({ level: 'warn' });
  const issued =
    options.config === undefined
      ? await fromAgent(options.from ?? DEFAULT_IMDS_URL, options.role)
      : await issueFromVault(options.config, options.role, logger);
  process.stdout.write(`${credentialProcessJson(issued)}\n`);
  return EXIT.ok;
}

/** One credential from a running agent; an unreachable one is named with the cause. */
async function fromAgent(url: string, role: string): Promise<Issued<AwsCredentials>> {
  try {
    return await fetchImdsCredentials(url, role);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    throw new ImdsCredentialsError(`cannot reach ${url}: ${cause} (is the agent running there?)`);
  }
}

/** One credential straight from Vault, with the agent's own config, session and source. */
async function issueFromVault(
  file: string,
  role: string,
  logger: Logger,
): Promise<Issued<AwsCredentials>> {
  const config = await loadConfig(file);
  const { aws } = config;
  if (!aws) throw new ConfigError([`${file}: has no aws section to issue "${role}" from`]);
  if (aws.role.name !== role) {
    throw new ConfigError([`${file}: aws.role.name is "${aws.role.name}", not "${role}"`]);
  }
  const scope = await buildAgentContainer(config, { logger });
  const session = scope.resolve(TOKENS.VaultSession);
  try {
    // A persisted token (vault.tokenFile) is adopted, so running this often spends no secret_id.
    await session.start();
    return await vaultAwsSource(scope, aws).issue();
  } finally {
    await session.close();
    await scope.dispose();
  }
}
