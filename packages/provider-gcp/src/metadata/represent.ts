import type { MetadataQuery } from './query.js';
import type { MetadataNode } from './metadata-tree.js';
import { flattenedText, recursiveJson, renderListing, valueJson, valueText } from './render.js';
import { etagOf, JSON_TYPE, TEXT } from './responses.js';

/** A 200 answer: its body, its type and the ETag of its default representation. */
export interface Representation {
  readonly kind: 'ok';
  readonly contentType: string;
  readonly body: string;
  readonly etag: string;
}

export type Answer =
  | Representation
  | { readonly kind: 'not-found' | 'redirect' | 'bad-request' }
  | { readonly kind: 'endpoint'; readonly name: 'token' | 'identity' };

/**
 * What GCE answers for `node` (reference/gcp-metadata.md §1.2):
 * - a directory without its trailing slash → 301; with `alt` or `wait_for_change` but without
 *   `recursive` → 400; recursive → compact JSON (or flattened text with `alt=text`); else listing;
 * - a value with a trailing slash → 404; `recursive` ignored; text, or JSON for `tags` and
 *   `alt=json`; the ETag is that of the default representation, so `alt` does not change it;
 * - `token` and `identity` with a trailing slash → 404, else their handlers.
 */
export function represent(
  node: MetadataNode | undefined,
  trailingSlash: boolean,
  query: MetadataQuery,
): Answer {
  if (!node) return { kind: 'not-found' };
  if (node.kind === 'endpoint') {
    return trailingSlash ? { kind: 'not-found' } : { kind: 'endpoint', name: node.name };
  }
  if (node.kind === 'value') {
    if (trailingSlash) return { kind: 'not-found' };
    const defaultAlt = node.defaultAlt ?? 'text';
    const render = (alt: 'json' | 'text') =>
      alt === 'json'
        ? { contentType: JSON_TYPE, body: valueJson(node) }
        : { contentType: TEXT, body: valueText(node) };
    const chosen = render(query.alt ?? defaultAlt);
    return { kind: 'ok', ...chosen, etag: etagOf(render(defaultAlt).body) };
  }
  if (!trailingSlash) return { kind: 'redirect' };
  if (!query.recursive) {
    if (query.alt !== undefined || query.waitForChange) return { kind: 'bad-request' };
    const listing = renderListing(node);
    return { kind: 'ok', contentType: TEXT, body: listing, etag: etagOf(listing) };
  }
  const json = recursiveJson(node) ?? '{}';
  const etag = etagOf(json);
  return query.alt === 'text'
    ? { kind: 'ok', contentType: TEXT, body: flattenedText(node), etag }
    : { kind: 'ok', contentType: JSON_TYPE, body: json, etag };
}
