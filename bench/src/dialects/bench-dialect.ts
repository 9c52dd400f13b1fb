import type { BackendInfo } from '../children/child-messages.js';
import type { RequestSpec } from '../load/http-exchange.js';
import type { Scenario } from '../load/scenario.js';

/** One measured path of a dialect, e.g. "AWS v2 PUT+GET". */
export interface BenchCase {
  readonly name: string;
  readonly scenario: Scenario;
}

/**
 * What the benchmark needs to know about one metadata dialect. Every suite iterates over
 * `DIALECTS`, so covering GCP or Azure is one entry in `dialects.ts` (with its config section,
 * its Vault issue path and its cached-path cases).
 */
export interface BenchDialect {
  readonly name: string;
  /** This dialect's sections of the agent config, pointed at the run's backends. */
  agentConfig(backend: BackendInfo): Record<string, unknown>;
  /** Vault requests under this path are issues of the dialect's credential (the cold-path count). */
  vaultIssuePath(backend: BackendInfo): string;
  /** The request a client makes first: the cold path fires 100 of it at once at a fresh agent. */
  credentialRequest(backend: BackendInfo): RequestSpec;
  cases(backend: BackendInfo): readonly BenchCase[];
}
