import type { Middleware } from 'koa';

/**
 * A cloud's metadata dialect (AWS IMDS, GCE metadata, Azure IMDS, ...). Every provider is mounted
 * on the same Koa app, as the clouds share 169.254.169.254: each answers the paths it owns and
 * passes everything else on with `next()`. A provider that claims `/` only for some requests (GCE,
 * when `Metadata-Flavor: Google` is sent) must be registered before one that claims it always (AWS).
 */
export interface MetadataProvider {
  /** Short dialect name used in logs and metrics: `aws-imds`, `gce-metadata`, `azure-imds`. */
  readonly name: string;
  /** The dialect as Koa middleware (its own guards, routes and error rendering composed inside). */
  middleware(): Middleware;
  /**
   * A small, fixed set of names for the paths this dialect answered (`credentials`, `token`,
   * `metadata`), used as a metrics label: raw paths would let any client grow the label set.
   * Absent: every request of the dialect counts as `other`.
   */
  pathClass?(path: string): string;
  /** Prepares whatever the dialect serves first (e.g. warms configured credentials). Optional. */
  start?(): Promise<void>;
  /** Releases timers and resources. Optional. */
  stop?(): Promise<void>;
}
