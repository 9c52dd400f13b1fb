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
  const named = (
    [
      ['clientId', selector.clientId],
      ['objectId', selector.objectId],
      ['resourceId', selector.resourceId],
    ] as const
  ).filter(([, value]) => value !== undefined && value !== '');
  if (named.length > 1) return 'several-selectors';
  const [only] = named;
  if (only) {
    const [key, value = ''] = only;
    const wanted = value.toLowerCase();
    return identities.find((identity) => identity[key]?.toLowerCase() === wanted) ?? 'not-found';
  }
  const system = identities.find((identity) => identity.systemAssigned);
  if (system) return system;
  if (identities.length > 1) return 'ambiguous';
  return identities[0] ?? 'not-found';
}
