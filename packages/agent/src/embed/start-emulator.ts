import type { Clock, FreshnessPolicy, Logger, PartialFacts } from '@guise/core';
import {
  collectFacts,
  DEFAULT_FRESHNESS,
  isLocalOnlyAddress,
  parseListenAddress,
  silentLogger,
  staticFacts,
  systemClock,
  registerCoreServices,
} from '@guise/core';
import { container } from 'tsyringe';
import { serveMetadata } from '../compose/serve-metadata.js';
import type { AwsEmulation } from './aws-emulation.js';
import type { AzureEmulation } from './azure-emulation.js';
import type { GcpEmulation } from './gcp-emulation.js';
import type { EmulatedDialect } from './emulated-dialect.js';
import { emulatorOptionProblems } from './check-emulator-options.js';

const DEFAULT_START_TIMEOUT_MS = 30_000;

/** What `startEmulator` serves. Give at least one dialect. */
export interface EmulatorOptions {
  /** Serve AWS IMDS (v1/v2) with this role. */
  readonly aws?: AwsEmulation;
  /** Serve the GCE metadata server with this project and service account. */
  readonly gcp?: GcpEmulation;
  /** Serve Azure IMDS with these managed identities. */
  readonly azure?: AzureEmulation;
  /** `HOST:PORT` on loopback or link-local; default `127.0.0.1:0` (a free port). */
  readonly listen?: string;
  /**
   * Facts of the emulated machine. Default: fixed placeholders (`localhost`, `127.0.0.1`), not the
   * host's, so that a test sees the same tree on every machine.
   */
  readonly facts?: PartialFacts;
  /** Default: the system clock. Pass a ManualClock to move time in tests. */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Overrides of the broker's serving and refresh policy (e.g. a lower `minRemainingMs`). */
  readonly freshness?: Partial<FreshnessPolicy>;
  /**
   * How long `startEmulator` waits for the first credentials (a callback that never settles would
   * otherwise hold it, and the listener it opened, forever); default 30 000 ms.
   */
  readonly startTimeoutMs?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: the metadata endpoint. */
  readonly url: string;
  /**
   * The environment variables that make each emulated cloud's SDKs use this emulator: merge them
   * into `process.env` or a child process's environment.
   */
  env(): Record<string, string>;
  /** Closes the listener and stops every timer. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts cloud metadata endpoints in-process with credentials from code, without Vault: for a
 * service's tests, or for a program that already holds credentials and wants SDKs to find them.
 *
 * @example
 * ```ts
 * const imds = await startEmulator({
 *   aws: { role: 'app', credentials: { accessKeyId: 'AKIA...', secretAccessKey: '...' } },
 * });
 * process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.env().AWS_EC2_METADATA_SERVICE_ENDPOINT;
 * // ... the SDK's instance-metadata provider now gets these credentials ...
 * await imds.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const problems = emulatorOptionProblems(options);
  if (problems.length > 0) throw new TypeError(`startEmulator: ${problems.join('; ')}`);
  const dialects: EmulatedDialect[] = [];
  // GCE first: it claims `/` only for `Metadata-Flavor: Google`, AWS claims it always. A dialect's
  // module (and its provider's libraries) is imported only when asked for, as in the agent.
  if (options.gcp) dialects.push((await import('./gcp-emulation.js')).gcpDialect(options.gcp));
  if (options.azure)
    dialects.push((await import('./azure-emulation.js')).azureDialect(options.azure));
  if (options.aws) dialects.push((await import('./aws-emulation.js')).awsDialect(options.aws));
  if (dialects.length === 0) {
    throw new Error('startEmulator: give at least one dialect (aws, gcp or azure)');
  }
  const { host, port } = parseListenAddress(options.listen ?? '127.0.0.1:0');
  if (!isLocalOnlyAddress(host)) {
    throw new Error(`startEmulator: ${host} is neither loopback nor link-local`);
  }

  // The emulator is a composition root of its own: one child container per emulator, so that
  // several run side by side in one test process.
  const scope = container.createChildContainer();
  registerCoreServices(scope, {
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    freshness: { ...DEFAULT_FRESHNESS, ...options.freshness },
    facts: await collectFacts([staticFacts('emulator', options.facts ?? {})]),
  });
  for (const dialect of dialects) dialect.register(scope);

  const served = await serveMetadata(scope, host, port);
  const limitMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, limitMs, 'late')));
  const started = await Promise.race([served.startProviders(), late]).finally(() =>
    clearTimeout(timer),
  );
  if (started === 'late') {
    await served.stop();
    throw new Error(
      `startEmulator: the first credentials were not ready within ${limitMs} ms (a credentials callback that never settles?); the emulator is stopped`,
    );
  }
  const env = () =>
    Object.assign({}, ...dialects.map((dialect) => dialect.env(served.url))) as Record<
      string,
      string
    >;
  return { url: served.url, env, stop: served.stop };
}
