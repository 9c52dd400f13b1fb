import type {
  Logger,
  MetadataProvider,
  RequestSample,
  RunningServer,
  ServerLimits,
} from '@guise/core';
import { AnswerCache, createMetadataApp, CredentialBroker, listen, TOKENS } from '@guise/core';
import type { DependencyContainer } from 'tsyringe';
import { once } from '../util/once.js';
import { SIDE_LISTENER } from './side-listener.js';

/** Something stopped with the listener, in order after it (e.g. the Vault session). */
export interface StopPart {
  readonly name: string;
  stop(): Promise<void>;
}

export interface ServedMetadata {
  /** Where the metadata endpoint listens, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Where each side listener (a dialect with an address of its own) listens, by name. */
  readonly sideUrls: Readonly<Record<string, string>>;
  /** Runs every provider's `start` (credential warm-up); failures are logged, never thrown. */
  startProviders(): Promise<void>;
  /**
   * Closes the listener, stops providers, shuts the broker down, then `alsoStop`, then disposes
   * of the scope. Every part is stopped even if an earlier one fails. Idempotent. (When the
   * listener cannot be bound, serveMetadata does the same before it rejects.)
   */
  stop(): Promise<void>;
}

/**
 * The part every composition root shares (the agent, the in-process emulator): mount the
 * providers registered in `scope` on one Koa app, listen, serve each SIDE_LISTENER on its own
 * address, and know how to stop it all.
 * `scope` must provide TOKENS.Logger, CredentialBroker and at least one TOKENS.MetadataProvider.
 */
export async function serveMetadata(
  scope: DependencyContainer,
  host: string,
  port: number,
  options: {
    alsoStop?: readonly StopPart[];
    onResponse?: (sample: RequestSample) => void;
    /** Header, body and timeout limits of every listener (default: core's safe defaults). */
    limits?: ServerLimits;
  } = {},
): Promise<ServedMetadata> {
  const { alsoStop = [], onResponse, limits } = options;
  const rootLogger = scope.resolve(TOKENS.Logger);
  const logger = rootLogger.child({ component: 'agent' });
  const broker = scope.resolve(CredentialBroker);
  const providers = scope.resolveAll(TOKENS.MetadataProvider);
  const sides = scope.isRegistered(SIDE_LISTENER) ? scope.resolveAll(SIDE_LISTENER) : [];
  const opened: RunningServer[] = [];
  const clock = scope.resolve(TOKENS.Clock);
  // Debug logging means a line for every request, which a replayed answer would not get.
  const replay = !(rootLogger.isLevelEnabled?.('debug') ?? true);
  const open = async (served: readonly MetadataProvider[], at: string, atPort: number) => {
    const answers = replay
      ? new AnswerCache(
          clock,
          onResponse && ((sample, durationMs) => onResponse({ ...sample, durationMs })),
        )
      : undefined;
    // A credential issued, refreshed or renewed changes what its answers say: none is replayed.
    if (answers) broker.observe(() => answers.clear());
    const app = createMetadataApp({ providers: served, logger: rootLogger, onResponse, answers });
    const server = await listen(app, at, atPort, { limits, answers });
    opened.push(server);
    return server;
  };
  let main: RunningServer;
  const sideServers: Array<{ name: string; server: RunningServer }> = [];
  try {
    main = await open(providers, host, port);
    for (const side of sides) {
      sideServers.push({
        name: side.name,
        server: await open([side.provider], side.host, side.port),
      });
    }
  } catch (error) {
    // Nothing started here may keep the process alive when an address cannot be bound.
    for (const server of opened) await server.close();
    for (const part of alsoStop) await part.stop().catch(() => undefined);
    await broker.shutdown();
    await scope.dispose();
    throw error;
  }
  let stopping = false;

  const stop = once(async () => {
    stopping = true;
    const parts: StopPart[] = [
      { name: 'listener', stop: () => main.close() },
      ...sideServers.map(({ name, server }) => ({
        name: `listener ${name}`,
        stop: () => server.close(),
      })),
      ...providers.map((p) => ({ name: `provider ${p.name}`, stop: async () => p.stop?.() })),
      { name: 'credential broker', stop: () => broker.shutdown() },
      ...alsoStop,
    ];
    // A failing provider must not leave, say, the Vault session's token timer running.
    for (const part of parts) {
      await part.stop().catch((error: unknown) => {
        logger.warn('could not stop cleanly', { part: part.name, error });
      });
    }
    await scope.dispose();
  });
  return {
    url: main.url,
    sideUrls: Object.fromEntries(sideServers.map(({ name, server }) => [name, server.url])),
    startProviders: () => startProviders(providers, logger, () => stopping),
    stop,
  };
}

async function startProviders(
  providers: readonly MetadataProvider[],
  logger: Logger,
  stopping: () => boolean,
): Promise<void> {
  await Promise.all(
    providers.map((provider) =>
      Promise.resolve(provider.start?.()).catch((error: unknown) => {
        // Whatever fails because the agent is being stopped meanwhile is not worth a warning.
        if (!stopping())
          logger.warn('could not fetch the first credentials', { provider: provider.name, error });
      }),
    ),
  );
}
