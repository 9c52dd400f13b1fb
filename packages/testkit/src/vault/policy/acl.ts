import type { Capability, PathRule } from './parse-policy.js';

/** A compiled path pattern: exact, `*`-suffixed prefix, with `+` single-segment wildcards. */
interface CompiledRule {
  readonly path: string;
  readonly matcher: RegExp;
  readonly capabilities: ReadonlySet<Capability>;
}

/**
 * The ACL of a set of policies (vault/acl.go). Rules for the same path from several policies
 * merge (a `deny` anywhere wins); a request path is governed by the single most specific matching
 * rule, using the priority order of docs/concepts/policies.mdx:
 *  1. the first `+` or `*` occurring later wins (an exact path has none, so it always wins);
 *  2. a path not ending in `*` wins over one that does;
 *  3. fewer `+` segments win;
 *  4. the longer path wins;
 *  5. the lexicographically greater path wins.
 */
export class Acl {
  private readonly rules: CompiledRule[];

  /** `rules`: the rules of every policy of the token, in any order. */
  constructor(rules: Iterable<PathRule>) {
    const merged = new Map<string, Set<Capability>>();
    for (const rule of rules) {
      const capabilities = merged.get(rule.path) ?? new Set<Capability>();
      rule.capabilities.forEach((capability) => capabilities.add(capability));
      merged.set(rule.path, capabilities);
    }
    this.rules = [...merged].map(([path, capabilities]) => ({
      path,
      matcher: compile(path),
      capabilities: capabilities.has('deny') ? new Set<Capability>(['deny']) : capabilities,
    }));
  }

  /** Whether the governing rule for `path` grants every one of `needed` (and does not deny). */
  allows(path: string, needed: readonly Capability[]): boolean {
    const governing = this.governing(path);
    if (!governing || governing.capabilities.has('deny')) return false;
    return needed.every((capability) => governing.capabilities.has(capability));
  }

  /**
   * What `sys/capabilities-self` reports for `path`: the governing rule's capabilities, sorted,
   * or `["deny"]` when no rule matches or the rule denies (vault/acl.go `Capabilities`).
   */
  capabilitiesOf(path: string): Capability[] {
    const governing = this.governing(path);
    if (!governing || governing.capabilities.has('deny') || governing.capabilities.size === 0)
      return ['deny'];
    return [...governing.capabilities].sort();
  }

  private governing(path: string): CompiledRule | undefined {
    return this.rules
      .filter((rule) => rule.matcher.test(path))
      .reduce<CompiledRule | undefined>(
        (best, rule) => (best === undefined || outranks(rule.path, best.path) ? rule : best),
        undefined,
      );
  }
}

function compile(path: string): RegExp {
  const glob = path.endsWith('*');
  const body = (glob ? path.slice(0, -1) : path)
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}${glob ? '.*' : ''}$`);
}

function firstWildcard(path: string): number {
  const positions = [path.indexOf('*'), plusSegmentIndex(path)].filter((index) => index >= 0);
  return positions.length > 0 ? Math.min(...positions) : Number.POSITIVE_INFINITY;
}

function plusSegmentIndex(path: string): number {
  const match = /(^|\/)\+(\/|$)/.exec(path);
  return match ? match.index + (match[1] ?? '').length : -1;
}

const plusSegments = (path: string): number =>
  path.split('/').filter((segment) => segment === '+').length;

/** Whether pattern `a` takes priority over pattern `b`. */
function outranks(a: string, b: string): boolean {
  const comparisons = [
    firstWildcard(a) - firstWildcard(b),
    Number(!a.endsWith('*')) - Number(!b.endsWith('*')),
    plusSegments(b) - plusSegments(a),
    a.length - b.length,
    a < b ? -1 : a > b ? 1 : 0,
  ];
  const decisive = comparisons.find((difference) => difference !== 0 && !Number.isNaN(difference));
  return (decisive ?? 0) > 0;
}
