/**
 * The GCE metadata tree as data (reference/gcp-metadata.md §1.2, §1.3). Three kinds of node:
 * directories (listed with `/` suffixes, JSON objects when recursive), values (text by default,
 * JSON with `alt=json`) and endpoints (`token`, `identity`: computed per request, listed but
 * excluded from recursive output, as on GCE).
 */
export type MetadataNode = MetadataDirectory | MetadataValue | MetadataEndpoint;

export interface MetadataDirectory {
  readonly kind: 'directory';
  readonly children: ReadonlyMap<string, MetadataNode>;
  /**
   * Keys of this directory are data, not schema: custom attributes and service-account names.
   * "Service account email and custom metadata keys should not be converted to camel case" (§1.2).
   */
  readonly verbatimKeys?: boolean;
  /** Indexed lists (`disks/`, `network-interfaces/`): children `0`, `1`…, a JSON array when recursive. */
  readonly indexed?: boolean;
}

/**
 * A scalar or array value. `numeric` values are exact decimal digits, rendered bare in JSON even
 * above 2^53 (an instance id such as 13512546227574112017, §1.3). `defaultAlt: 'json'` for values
 * GCE answers as JSON unless asked otherwise (`instance/tags`, §1.2).
 */
export interface MetadataValue {
  readonly kind: 'value';
  readonly value: string | readonly string[];
  readonly numeric?: boolean;
  readonly defaultAlt?: 'json';
}

/** Answered by a handler (token, identity); `ctx` rendering is the handler's. */
export interface MetadataEndpoint {
  readonly kind: 'endpoint';
  readonly name: 'token' | 'identity';
}

export function directory(
  entries: Record<string, MetadataNode | undefined>,
  options: { verbatimKeys?: boolean; indexed?: boolean } = {},
): MetadataDirectory {
  const children = new Map<string, MetadataNode>();
  for (const [key, node] of Object.entries(entries)) if (node) children.set(key, node);
  return { kind: 'directory', children, ...options };
}

export function indexedDirectory(items: readonly MetadataDirectory[]): MetadataDirectory {
  return directory(Object.fromEntries(items.map((item, index) => [String(index), item])), {
    indexed: true,
  });
}

export function text(value: string): MetadataValue {
  return { kind: 'value', value };
}

export function digits(value: string | number): MetadataValue {
  return { kind: 'value', value: String(value), numeric: true };
}

export function list(values: readonly string[], defaultAlt?: 'json'): MetadataValue {
  return { kind: 'value', value: values, ...(defaultAlt ? { defaultAlt } : {}) };
}

/** Follows `segments` from `root`; undefined for a missing key, a bad index or a path into a value. */
export function resolve(
  root: MetadataDirectory,
  segments: readonly string[],
): MetadataNode | undefined {
  let node: MetadataNode = root;
  for (const segment of segments) {
    if (node.kind !== 'directory') return undefined;
    const child: MetadataNode | undefined = node.children.get(segment);
    if (!child) return undefined;
    node = child;
  }
  return node;
}
