/**
 * The query parameters GCE interprets (reference/gcp-metadata.md §1.2). Everything else is
 * ignored, as on GCE (`foo=blah`; Python's `bindCertificateFingerprint`).
 */
export interface MetadataQuery {
  readonly recursive: boolean;
  readonly alt?: 'json' | 'text';
  readonly waitForChange: boolean;
  readonly lastEtag?: string;
  readonly timeoutSec?: number;
}

/** "A value other than true/on/yes/1 counts as false" (§1.2). */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(?:true|on|yes|1)$/i.test(value);
}

/** The parsed query, or undefined for values GCE answers 400 to (an unknown `alt`, a bad timeout). */
export function parseQuery(params: URLSearchParams): MetadataQuery | undefined {
  const alt = params.get('alt') ?? undefined;
  if (alt !== undefined && alt !== 'json' && alt !== 'text') return undefined;
  const waitForChange = isTrue(params.get('wait_for_change') ?? undefined);
  const timeout = params.get('timeout_sec') ?? undefined;
  // Only meaningful (and only checked) with wait_for_change: nonsense params are otherwise ignored.
  if (waitForChange && timeout !== undefined && !/^\d{1,9}$/.test(timeout)) return undefined;
  return {
    recursive: isTrue(params.get('recursive') ?? undefined),
    ...(alt ? { alt } : {}),
    waitForChange,
    ...(params.has('last_etag') ? { lastEtag: params.get('last_etag') ?? '' } : {}),
    ...(waitForChange && timeout !== undefined ? { timeoutSec: Number(timeout) } : {}),
  };
}
