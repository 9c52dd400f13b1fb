import { CredentialUnavailableError } from '@guise/core';
import { RefusedResourceError } from '../entra/refused-resource.js';
import type { SelectionRefusal } from './select-identity.js';

/**
 * `error_description`s of the token endpoints, as real IMDS words them where known
 * (reference/azure-imds.md §1.6): "Identity not found" and "Multiple user assigned identities
 * exist…" come from the field; the rest are ours where the reference found no text (§7).
 */
export const SELECTION_REFUSALS: Readonly<Record<SelectionRefusal, string>> = {
  'not-found': 'Identity not found',
  ambiguous:
    'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
  'several-selectors': 'Only one of client_id, object_id or msi_res_id may be specified',
};

/** What IMDS says for a request without `resource` (its text is not documented, §1.6). */
export const RESOURCE_MISSING = 'Required audience parameter not specified';

/**
 * A token that cannot be had now (Vault or Entra down, principal not yet propagated): 500, which
 * every client retries (§3), never 400, which disables azure-identity for the life of the process
 * (§0.8). MIDOC's 500 "unknown" row gives the words.
 */
export const TOKEN_UNAVAILABLE = {
  error: 'unknown',
  error_description: 'Failed to retrieve token from the Active directory. Retry after some time.',
} as const;

/**
 * How both token dialects answer a request whose token could not be had: a resource Entra refused
 * is the client's mistake, 400 `invalid_resource` with Entra's words as IMDS answers it (§1.6);
 * anything else is trouble a retry may cure (TOKEN_UNAVAILABLE) or a bug here (`server_error`),
 * both 500. The broker reports a source's failure as CredentialUnavailableError, its cause the
 * source's own error.
 */
export function tokenFailure(error: unknown): {
  readonly status: 400 | 500;
  readonly body: Readonly<Record<string, string>>;
} {
  if (!(error instanceof CredentialUnavailableError))
    return {
      status: 500,
      body: { error: 'server_error', error_description: 'Internal server error' },
    };
  if (error.cause instanceof RefusedResourceError)
    return {
      status: 400,
      body: { error: 'invalid_resource', error_description: error.cause.entraMessage },
    };
  return { status: 500, body: TOKEN_UNAVAILABLE };
}
