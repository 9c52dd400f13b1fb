import { randomUuid } from '../../util/random.js';

/** An OAuth error as Entra's v2 token endpoint writes it (reference/azure-imds.md §5.1). */
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    readonly description: string,
  ) {
    super(`AADSTS${code}: ${description}`);
    this.name = 'EntraError';
  }

  /** `error_description` carries the AADSTS code and the trace lines, joined by CRLF. */
  body(now: number): Record<string, unknown> {
    const traceId = randomUuid();
    const correlationId = randomUuid();
    const timestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      error: this.error,
      error_description: `${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
    };
  }
}

/** A new app Entra does not know yet (hashicorp/vault-plugin-secrets-azure#26). */
export const unknownClient = (appId: string, tenantId: string) =>
  new EntraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${appId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );

/** A secret Entra does not accept (yet) (hashicorp/vault-plugin-secrets-azure#23, #57). */
export const invalidSecret = (appId: string) =>
  new EntraError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
  );

export const tenantNotFound = (tenant: string) =>
  new EntraError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
