import type { MetadataDirectory } from './metadata-tree.js';

/**
 * The current tree plus change notification, for `wait_for_change`. Instance attributes are the
 * part of GCE's tree that changes while a VM runs (§1.2: "Deleting a key counts as a change"), so
 * they are what can be set at run time; every change rebuilds the tree and wakes the waiters,
 * which compare ETags themselves.
 */
export class MetadataStore {
  private tree: MetadataDirectory;
  private readonly attributes: Map<string, string>;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly build: (attributes: Readonly<Record<string, string>>) => MetadataDirectory,
    attributes: Readonly<Record<string, string>>,
  ) {
    this.attributes = new Map(Object.entries(attributes));
    this.tree = build(attributes);
  }

  current(): MetadataDirectory {
    return this.tree;
  }

  /** Sets (or, with `undefined`, deletes) `instance/attributes/<key>`. */
  setInstanceAttribute(key: string, value: string | undefined): void {
    if (value === undefined) this.attributes.delete(key);
    else this.attributes.set(key, value);
    this.tree = this.build(Object.fromEntries(this.attributes));
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake();
  }

  /** Resolves at the next change; `cancel` forgets the waiter (timeout, client gone). */
  nextChange(): { changed: Promise<void>; cancel: () => void } {
    let wake: () => void = () => undefined;
    const changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.waiters.add(wake);
    return { changed, cancel: () => this.waiters.delete(wake) };
  }
}
