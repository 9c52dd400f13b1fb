/**
 * `policyutil.SanitizePolicies`: `default` is added unless refused or the list holds `root`; then
 * `strutil.RemoveDuplicates(_, lowercase)`: trimmed, lower-cased, empties dropped, de-duplicated,
 * sorted.
 */
export function sanitizePolicies(policies: readonly string[], addDefault: boolean): string[] {
  const names = new Set(policies.map((name) => name.trim().toLowerCase()).filter(Boolean));
  if (addDefault && !names.has('root')) names.add('default');
  return [...names].sort();
}
