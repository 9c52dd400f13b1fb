import type { DocumentValue } from './instance-document.js';

/**
 * IMDS route filtering (§1.4): walks keys and array indices,
 * `/metadata/instance/network/interface/0/ipv4/ipAddress/0/publicIpAddress`. Undefined when the
 * path names nothing. Empty segments (trailing or doubled slashes) are ignored.
 */
export function filterDocument(
  root: DocumentValue,
  segments: readonly string[],
): DocumentValue | undefined {
  let node: DocumentValue | undefined = root;
  for (const segment of segments) {
    if (node === undefined || typeof node === 'string') return undefined;
    if (isList(node)) {
      node = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
    } else {
      node = Object.hasOwn(node, segment) ? node[segment] : undefined;
    }
  }
  return node;
}

/**
 * `format=text`: a leaf is its value as is; a directory lists its keys (or indices) one per
 * line, `/` after those that are directories themselves — the reference does not show IMDS's
 * text form of a directory, this is the listing convention the other dialects use.
 */
export function renderText(node: DocumentValue): string {
  if (typeof node === 'string') return node;
  const entries: Array<[string, DocumentValue]> = isList(node)
    ? node.map((value, index) => [String(index), value])
    : Object.entries(node);
  return entries.map(([key, value]) => (typeof value === 'string' ? key : `${key}/`)).join('\n');
}

function isList(node: DocumentValue): node is readonly DocumentValue[] {
  return Array.isArray(node);
}
