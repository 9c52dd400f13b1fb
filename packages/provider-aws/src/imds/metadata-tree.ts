/** What a leaf answers with: fixed bytes, or bytes computed per request (credentials). */
export type LeafValue = string | Buffer;

export interface MetadataLeaf {
  readonly kind: 'leaf';
  readonly contentType: string;
  readonly value: LeafValue | (() => Promise<LeafValue>);
}

export interface MetadataDirectory {
  readonly kind: 'directory';
  readonly children: ReadonlyMap<string, MetadataNode>;
  /**
   * Whether the listing marks sub-directories with a trailing `/`. IMDS does inside `meta-data/`
   * and `dynamic/`, but not at the top: `GET /` lists `latest` and `GET /latest/` lists
   * `meta-data`, both without a slash (reference/aws-imds.md §1.8).
   */
  readonly markSubdirectories: boolean;
}

/**
 * The IMDS tree as data: a node is a leaf value or a directory. Listings are rendered from the
 * directories by one function, so a listing can never show a path that does not answer — the rule
 * cloud-init's crawl depends on (reference/aws-imds.md §0.6).
 */
export type MetadataNode = MetadataLeaf | MetadataDirectory;

export function leaf(value: MetadataLeaf['value'], contentType = 'text/plain'): MetadataLeaf {
  return { kind: 'leaf', contentType, value };
}

/** Entries whose value is `undefined` are left out: that is how conditional categories are written. */
export function directory(
  entries: Readonly<Record<string, MetadataNode | undefined>>,
  options: { markSubdirectories?: boolean } = {},
): MetadataDirectory {
  const children = new Map<string, MetadataNode>();
  for (const [name, node] of Object.entries(entries)) if (node) children.set(name, node);
  return { kind: 'directory', children, markSubdirectories: options.markSubdirectories ?? true };
}

/** Text leaves from fixed values; `undefined` values are left out, as in `directory`. */
export function textLeaves(
  values: Readonly<Record<string, string | undefined>>,
): Record<string, MetadataLeaf | undefined> {
  // No prototype: a tag key such as `__proto__` must become an entry, not a prototype.
  const entries: Record<string, MetadataLeaf | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(values))
    entries[name] = value === undefined ? undefined : leaf(value);
  return entries;
}

/** A directory of fixed text values: `placement/`, `services/`, … */
export function textDirectory(
  values: Readonly<Record<string, string | undefined>>,
): MetadataDirectory {
  return directory(textLeaves(values));
}

/** The node at `segments` below `root`, or undefined (a 404). Names are matched exactly. */
export function resolveNode(
  root: MetadataNode,
  segments: readonly string[],
): MetadataNode | undefined {
  let node: MetadataNode | undefined = root;
  for (const segment of segments) {
    if (node?.kind !== 'directory') return undefined;
    node = node.children.get(segment);
  }
  return node;
}

/** Rendered listings by directory: the tree never changes after it is built, so neither do they. */
const listings = new WeakMap<MetadataDirectory, string>();

/**
 * Entries in code-unit order, one per line, no trailing newline (reference/aws-imds.md §1.7).
 * Rendered once per directory: SDKs list `security-credentials/` before every credential fetch.
 */
export function renderListing(dir: MetadataDirectory): string {
  let listing = listings.get(dir);
  if (listing === undefined) {
    listing = [...dir.children]
      .map(([name, node]) =>
        node.kind === 'directory' && dir.markSubdirectories ? `${name}/` : name,
      )
      .sort()
      .join('\n');
    listings.set(dir, listing);
  }
  return listing;
}
