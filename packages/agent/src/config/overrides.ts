/**
 * A value that replaces one key of the config document before validation: from an environment
 * variable or a command-line flag. Errors in it are reported under `source` (`VAULT_ADDR`), since
 * that is where the operator has to fix it.
 */
export interface ConfigOverride {
  readonly source: string;
  readonly path: readonly string[];
  readonly value: unknown;
  /** Sibling keys the override makes meaningless (`VAULT_ADDR` replaces any `addresses` list). */
  readonly replaces?: readonly string[];
}

/** The common knobs, named as Vault's own CLI and agent name them. */
const ENV_OVERRIDES: ReadonlyArray<Omit<ConfigOverride, 'value'>> = [
  { source: 'GUISE_LISTEN', path: ['listen'] },
  { source: 'GUISE_LOG_LEVEL', path: ['log', 'level'] },
  { source: 'VAULT_ADDR', path: ['vault', 'address'], replaces: ['addresses'] },
  { source: 'VAULT_NAMESPACE', path: ['vault', 'namespace'] },
  { source: 'VAULT_CACERT', path: ['vault', 'caFile'] },
];

/** The overrides that `env` sets (an empty variable counts as unset). */
export function envOverrides(env: Readonly<Record<string, string | undefined>>): ConfigOverride[] {
  return ENV_OVERRIDES.flatMap((override) => {
    const value = env[override.source];
    return value ? [{ ...override, value }] : [];
  });
}

/** A copy of `document` with every override applied in order (later ones win). */
export function applyOverrides(
  document: Record<string, unknown>,
  overrides: readonly ConfigOverride[],
): Record<string, unknown> {
  const result = structuredClone(document);
  for (const { path, value, replaces = [] } of overrides) {
    const parents = [...path];
    const leaf = parents.pop();
    if (leaf === undefined) continue;
    let parent = result;
    for (const key of parents) {
      const child = parent[key];
      parent = isMapping(child) ? child : (parent[key] = {});
    }
    for (const key of replaces) Reflect.deleteProperty(parent, key);
    parent[leaf] = value;
  }
  return result;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `--listen` as an override, so it is validated (and its errors named) like the file's `listen`. */
export function listenOverride(listen: string | undefined): ConfigOverride[] {
  return listen === undefined ? [] : [{ source: '--listen', path: ['listen'], value: listen }];
}
