/**
 * Entra refused the resource a client asked a token for (an App ID URI no application in the
 * tenant has, a malformed scope), not the service principal: the client's request is wrong and
 * will stay wrong. IMDS answers this 400 `invalid_resource` with Entra's text (reference/
 * azure-imds.md §1.6, MIDOC "AADSTS50001: The application named <URI> wasn't found in the
 * tenant"), never the 500 that would have every client retry it.
 */
export class RefusedResourceError extends Error {
  override readonly name = 'RefusedResourceError';
  constructor(
    readonly resource: string,
    /** Entra's `AADSTS…: …` sentence, without its trace lines. */
    readonly entraMessage: string,
    options: { cause: unknown },
  ) {
    super(`Entra refused the resource "${resource}": ${entraMessage}`, options);
  }
}

/**
 * AADSTS500011 (no resource principal of that name in the tenant), AADSTS50001 (the older wording
 * of the same), AADSTS70011 and AADSTS1002012 (the scope made of the resource is not valid).
 */
const RESOURCE_REFUSALS = /AADSTS(?:500011|50001|70011|1002012)\b[^\r\n]*/;

/** Entra's sentence when `error` is its refusal of the requested resource, else undefined. */
export function resourceRefusal(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return RESOURCE_REFUSALS.exec(message)?.[0];
}
