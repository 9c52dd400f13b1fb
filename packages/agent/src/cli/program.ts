import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_IMDS_TOKENS, IMDS_TOKEN_MODES } from '../config/imds-token-modes.js';
import type { CredentialProcessOptions } from './credential-process-command.js';
import type { DevCommandOptions } from './dev-command.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../util/version.js';
import type { ReadyOptions } from './ready-command.js';
import type { NetworkOptions } from '../net/network-setup.js';

const LISTEN_HELP = 'address to serve metadata on (HOST:PORT, [IPV6]:PORT or PORT)';

/**
 * The `guise` command line. Each action resolves with the process exit status. A command's module
 * is imported when that command runs: what `guise agent` loads stays resident for the agent's
 * whole life, and it needs none of doctor's, dev's or net's code (doctor alone reaches every
 * provider).
 */
export function buildProgram(run: (action: () => Promise<ExitCode>) => Promise<void>): Command {
  const program = new Command('guise')
    .description(
      'Serve cloud instance metadata endpoints (AWS IMDS, GCE metadata, Azure IMDS) on a ' +
        'machine outside the clouds, with short-lived credentials from HashiCorp Vault.',
    )
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ guise agent --config /etc/guise/config.yaml     run the agent (usually under systemd)
  $ guise dev                                       try it locally: in-memory Vault, fake clouds, agent on 127.0.0.1
  $ guise dev --json                                the same, printing the endpoints as one JSON line
  $ guise doctor --config /etc/guise/config.yaml    check Vault, login, permissions, clock, listener
  $ sudo guise net setup                            put 169.254.169.254 on the loopback interface
  $ guise credential-process --role app             AWS credential_process JSON from the agent

Exit status: 0 ok, 1 runtime failure, 2 bad usage or configuration.`,
    );

  program
    .command('agent')
    .description('run the metadata agent with a YAML configuration file')
    .requiredOption('-c, --config <file>', 'YAML configuration file')
    .option('--listen <host:port>', `${LISTEN_HELP}; overrides the file and GUISE_LISTEN`)
    .addHelpText(
      'after',
      `
Environment (overrides the file): GUISE_LISTEN, GUISE_LOG_LEVEL, VAULT_ADDR, VAULT_NAMESPACE,
VAULT_CACERT. A role_id or secret_id configured as { env: NAME } is read from that variable.

Examples:
  $ guise agent --config /etc/guise/config.yaml
  $ guise agent -c ./config.yaml --listen 127.0.0.1:8080
  $ VAULT_ADDR=https://vault.example.com:8200 guise agent -c /etc/guise/config.yaml

Stops on SIGINT/SIGTERM. Logs go to stderr: JSON lines, or text lines on a terminal (log.format).`,
    )
    .action((options: { config: string; listen?: string }) =>
      run(async () => (await import('./agent-command.js')).runAgentCommand(options)),
    );

  program
    .command('dev')
    .description(
      'run a local demo: an in-memory Vault seeded as an operator would, fakes of the AWS, Google ' +
        'and Azure token services, and the agent',
    )
    .option('--listen <host:port>', `${LISTEN_HELP}; default 127.0.0.1 on a free port`)
    .addOption(
      new Option('--tokens <mode>', 'IMDSv2 session tokens, as EC2 HttpTokens')
        .choices(IMDS_TOKEN_MODES)
        .default(DEFAULT_IMDS_TOKENS),
    )
    .option(
      '--json',
      'print the endpoints as one JSON object on one line instead of shell instructions',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ guise dev
  $ guise dev --listen 127.0.0.1:8169 --tokens required
  $ guise dev --json          one JSON line (metadataUrl, vaultAddr, stsEndpoint, env, ...) for scripts

Only loopback and link-local addresses are accepted. Stops on SIGINT/SIGTERM.`,
    )
    .action((options: DevCommandOptions) =>
      run(async () => (await import('./dev-command.js')).runDevCommand(options)),
    );

  program
    .command('credential-process')
    .description(
      'print AWS credential_process JSON (Version 1) for a role, from the agent or from Vault',
    )
    .requiredOption('--role <name>', 'the IAM role name the agent serves (aws.role.name)')
    .option(
      '--from <url>',
      'ask this running agent (IMDS endpoint); default http://169.254.169.254',
      parseHttpUrl,
    )
    .option('-c, --config <file>', 'instead, log in to Vault with this agent configuration')
    .addHelpText(
      'after',
      `
For hosts where the agent may not bind the metadata address. In ~/.aws/config:

  [profile app]
  credential_process = guise credential-process --role app --from http://127.0.0.1:8169

Examples:
  $ guise credential-process --role app                                  from the agent on 169.254.169.254
  $ guise credential-process --role app --from http://127.0.0.1:8169     from an agent on a loopback port
  $ guise credential-process --role app --config /etc/guise/config.yaml  straight from Vault

Only the JSON goes to stdout; errors go to stderr with exit status 1 (2 for bad usage).`,
    )
    .action((options: CredentialProcessOptions) =>
      run(async () =>
        (await import('./credential-process-command.js')).runCredentialProcessCommand(options),
      ),
    );

  program
    .command('doctor')
    .description('check a configuration, Vault, login, permissions, clock and listen address')
    .requiredOption('-c, --config <file>', "the agent's YAML configuration file")
    .addHelpText(
      'after',
      `
Checks, each printed as ✓ or ✗ with the fix: the configuration; every Vault address (sys/health);
the clock against Vault's; the login (the kept token in vault.tokenFile if there is one; a wrapped
secret_id is never spent); the token's renewability; permission on every secrets path
(sys/capabilities-self); the listen address on this machine; the listen port.

Examples:
  $ sudo -u guise guise doctor --config /etc/guise/config.yaml
  $ guise doctor -c ./config.yaml && echo nothing failed

Exit status: 0 nothing failed, 1 a check failed, 2 the configuration is invalid. A check marked
– could not be run (e.g. the login, while the secret_id is a single-use wrapping token): its line
says what would let it run.`,
    )
    .action((options: { config: string }) =>
      run(async () => (await import('./doctor-command.js')).runDoctorCommand(options)),
    );

  program
    .command('ready')
    .description('wait until the agent of a configuration serves (for systemd ExecStartPost=)')
    .requiredOption('-c, --config <file>', "the agent's YAML configuration file")
    .option('--timeout <seconds>', 'give up after this long', parseSeconds, 60)
    .addHelpText(
      'after',
      `
Ready means /readyz answers 200 when metrics.listen is set (a credential is in hand), otherwise
that the metadata listener answers. Exit status 0 when ready, 1 on timeout.

Examples:
  $ guise ready --config /etc/guise/config.yaml
  $ guise ready -c /etc/guise/config.yaml --timeout 120`,
    )
    .action((options: ReadyOptions) =>
      run(async () => (await import('./ready-command.js')).runReadyCommand(options)),
    );

  const net = program
    .command('net')
    .description('put the metadata address on the loopback interface (needs CAP_NET_ADMIN)')
    .addHelpText(
      'after',
      `
Examples:
  $ sudo guise net setup                          169.254.169.254/32 (and fd00:ec2::254/128) on lo
  $ sudo guise net setup --redirect-port 8169     also send port 80 to an agent on port 8169 (nftables)
  $ guise net status                              ✓/✗ per piece; exit status 1 if anything is missing
  $ sudo guise net teardown                       remove what setup added`,
    );
  const netOptions = (command: Command) =>
    command
      .addOption(
        new Option('--ipv6 <mode>', 'fd00:ec2::254/128 too: auto = when lo has IPv6')
          .choices(['auto', 'on', 'off'])
          .default('auto'),
      )
      .option(
        '--redirect-port <port>',
        'redirect port 80 of the metadata addresses to this port (nftables DNAT)',
        parsePort,
      );
  netOptions(net.command('setup').description('add the addresses (idempotent)')).action(
    (options: NetworkOptions) =>
      run(async () => (await import('./net-command.js')).runNetChangeCommand('setup', options)),
  );
  netOptions(net.command('teardown').description('remove the addresses and redirect')).action(
    (options: NetworkOptions) =>
      run(async () => (await import('./net-command.js')).runNetChangeCommand('teardown', options)),
  );
  netOptions(
    net.command('status').description('show what is in place; no privilege needed'),
  ).action((options: NetworkOptions) =>
    run(async () => (await import('./net-command.js')).runNetStatusCommand(options)),
  );

  return program;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535)
    throw new InvalidArgumentError('expected a port number (1-65535)');
  return port;
}

/** An http(s) URL as written: `127.0.0.1:8169` alone would otherwise fail later as unreachable. */
function parseHttpUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new InvalidArgumentError(`expected an http:// URL, such as http://${value}`);
  return value;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1)
    throw new InvalidArgumentError('expected a whole number of seconds');
  return seconds;
}

/** Runs `guise` with `argv` (as in process.argv) and resolves with the exit status. */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  let status: ExitCode = EXIT.ok;
  const program = buildProgram(async (action) => {
    status = await action();
  });
  try {
    await program.parseAsync([...argv]);
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0; everything else is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    // Loaded only on failure: both reach @guise/core, which `guise agent` loads while its config
    // is being checked in another process (see runAgentCommand), not before.
    const [{ isOperatorFailure }, { JsonLogger }] = await Promise.all([
      import('./operator-failure.js'),
      import('@guise/core'),
    ]);
    if (isOperatorFailure(error)) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.failure;
    }
    // Anything else stopped a command from starting or running: the listener could not bind, ...
    new JsonLogger().error('guise failed', { error });
    return EXIT.failure;
  }
}
