import type { MetadataDirectory, MetadataNode, MetadataValue } from './metadata-tree.js';

/**
 * How GCE renders the tree (reference/gcp-metadata.md §1.2): listings one child per line, each
 * line ending in `\n`, directories with a trailing `/`; recursive JSON compact, schema keys in
 * camelCase, endpoints (token, identity) left out; `alt=text` on a recursive request flattens the
 * tree into `path value` lines.
 */

export function renderListing(directory: MetadataDirectory): string {
  return sortedKeys(directory)
    .map((key) => (directory.children.get(key)?.kind === 'directory' ? `${key}/\n` : `${key}\n`))
    .join('');
}

/** A value as text: a string as is, an array one item per line. */
export function valueText(node: MetadataValue): string {
  return typeof node.value === 'string' ? node.value : node.value.map((v) => `${v}\n`).join('');
}

/** A value as JSON: numbers bare (exact digits), strings quoted, arrays as arrays. */
export function valueJson(node: MetadataValue): string {
  if (node.numeric && typeof node.value === 'string') return node.value;
  return JSON.stringify(node.value);
}

/** `numeric-project-id` → `numericProjectId` (the emulator's ConvertToCamelCase). */
export function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Compact JSON of a subtree; endpoints are omitted ("`token` is excluded from recursive output"). */
export function recursiveJson(node: MetadataNode): string | undefined {
  if (node.kind === 'endpoint') return undefined;
  if (node.kind === 'value') return valueJson(node);
  if (node.indexed) {
    const items = sortedKeys(node).flatMap((key) => {
      const child = node.children.get(key);
      const json = child && recursiveJson(child);
      return json === undefined ? [] : [json];
    });
    return `[${items.join(',')}]`;
  }
  const members = [...node.children]
    .map(([key, child]) => [node.verbatimKeys ? key : camelCase(key), child] as const)
    .sort(([a], [b]) => compare(a, b))
    .flatMap(([key, child]) => {
      const json = recursiveJson(child);
      return json === undefined ? [] : [`${JSON.stringify(key)}:${json}`];
    });
  return `{${members.join(',')}}`;
}

/** `alt=text&recursive=true`: one `path value` line per value, e.g. `0/device-name boot`. */
export function flattenedText(node: MetadataNode, prefix = ''): string {
  if (node.kind === 'endpoint') return '';
  if (node.kind === 'value') {
    const values = typeof node.value === 'string' ? [node.value] : node.value;
    return values.map((value) => `${prefix} ${value}\n`).join('');
  }
  return sortedKeys(node)
    .map((key) => {
      const child = node.children.get(key);
      return child ? flattenedText(child, prefix ? `${prefix}/${key}` : key) : '';
    })
    .join('');
}

function sortedKeys(directory: MetadataDirectory): string[] {
  const keys = [...directory.children.keys()];
  return directory.indexed ? keys.sort((a, b) => Number(a) - Number(b)) : keys.sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
