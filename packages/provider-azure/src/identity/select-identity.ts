import type { ManagedIdentity } from './managed-identity.js';

/** What a token request named, already mapped from its dialect's parameter names. */
export interface IdentitySelector {
  readonly clientId?: string;
  readonly objectId?: string;
  readonly resourceId?: string;
}

/** Why no identity was selected; each has its exact IMDS text in `identity-errors.ts`. */
export type SelectionRefusal = 'not-found' | 'ambiguous' | 'several-selectors';

/**
 * IMDS's choice of identity (reference/azure-imds.md §0.11, §1.6): the one named by the single
 * selector (ids compared case-insensitively, as Azure ids are); with no selector the
 * system-assigned identity, else the only user-assigned one, else "multiple ... exist".
 */
export function selectIdentity(
  identities: readonly ManagedIdentity[],
  selector: IdentitySelector,
): ManagedIdentity | SelectionRefusal {
  let named: SelectorKey | undefined;
  for (const key of SELECTOR_KEYS) {
    if (!selector[key]) continue;
    if (named) return 'several-selectors';
    named = key;
  }
  if (named) {
    const key = named;
    const wanted = selector[key]?.toLowerCase();
    return identities.find((identity) => identity[key]?.toLowerCase() === wanted) ?? 'not-found';
  }
  const system = identities.find((identity) => identity.systemAssigned);
  if (system) return system;
  if (identities.length > 1) return 'ambiguous';
  return identities[0] ?? 'not-found';
}

type SelectorKey = keyof IdentitySelector;
const SELECTOR_KEYS: readonly SelectorKey[] = ['clientId', 'objectId', 'resourceId'];
