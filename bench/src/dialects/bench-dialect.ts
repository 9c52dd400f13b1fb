import type { BackendInfo } from '../children/child-messages.js';
import type { RequestSpec } from '../load/http-exchange.js';
import type { Scenario } from '../load/scenario.js';

/** One measured path of a dialect, e.g. "AWS v2 PUT+GET". */
export interface BenchCase {
  readonly name: string;
  /** The dialect's name (`BenchDialect.name`), which the goals look up its published limit by. */
  readonly dialect: string;
  /**
   * The requests one client sends in turn, prepared once against the running guise (IMDSv2 asks
   * it for the session token its GETs carry, as an SDK does once per token lifetime).
   */
  scenario(guisePort: number): Promise<Scenario>;
}

/** What the real service allows a VM, which guise on one core is to exceed twentyfold (issue 5). */
export interface PublishedLimit {
  readonly perSecond: number;
  /** AWS counts packets (per network interface), Azure counts identity requests. */
  readonly unit: 'packets' | 'requests';
  /** e.g. "AWS IMDS's ~1,024 packets/s", with where in reference/ it comes from. */
  readonly description: string;
}

/**
 * What the benchmark needs to know about one metadata dialect. Every suite iterates over
 * `DIALECTS`, so a dialect is one file: its config section, its Vault issue path and its
 * cached-path cases.
 */
export interface BenchDialect {
  readonly name: string;
  readonly publishedLimit?: PublishedLimit;
  /** This dialect's sections of the agent config, pointed at the run's backends. */
  agentConfig(backend: BackendInfo): Record<string, unknown>;
  /** Vault requests to this path are issues of the asked-for credential (the cold-path count). */
  vaultIssuePath(backend: BackendInfo): string;
  /** The request a client makes first: the cold path fires 100 of it at once at a fresh agent. */
  credentialRequest(backend: BackendInfo): RequestSpec;
  cases(backend: BackendInfo): readonly BenchCase[];
}
