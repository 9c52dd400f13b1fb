import type { Issued } from './issued.js';

/**
 * Responses rendered from an issued credential, kept with it. On the cached path the broker hands
 * out the same credential for every request until it replaces it, and rendering the answer (JSON,
 * an ETag hash, UTF-8 bytes) was the largest cost of a request of guise's own (npm run bench).
 *
 * `key` names whatever else the rendering depends on: the seconds left (GCE, Azure), the request
 * parameters a dialect echoes. Only the latest key is kept per credential — a machine's clients
 * ask the same way, so it changes about once a second — and an entry goes with its credential
 * once the broker lets go of it.
 */
export class RenderCache<R> {
  private readonly entries = new WeakMap<Issued<unknown>, { key: string; rendered: R }>();

  get(issued: Issued<unknown>, key: string, render: () => R): R {
    const entry = this.entries.get(issued);
    if (entry?.key === key) return entry.rendered;
    const rendered = render();
    this.entries.set(issued, { key, rendered });
    return rendered;
  }
}
