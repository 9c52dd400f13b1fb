/**
 * The broker could not produce a credential fit to serve: the backend failed and nothing cached is
 * still valid. Dialects turn this into the status their clients retry on.
 */
export class CredentialUnavailableError extends Error {
  override readonly name = 'CredentialUnavailableError';
  constructor(
    readonly sourceId: string,
    options: { cause: unknown },
  ) {
    super(`no valid credential from ${sourceId}: ${describe(options.cause)}`, options);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
