import type { InjectionToken } from 'tsyringe';

/**
 * The App Service managed-identity dialect (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`,
 * reference/azure-imds.md §2, §2.1), for processes that cannot reach 169.254.169.254 (a container
 * with its own network, a sandbox). It gets its own loopback listener, and a request must carry
 * the secret in `X-IDENTITY-HEADER`, which only processes given `IDENTITY_HEADER` know.
 */
export interface AppServiceOptions {
  /** The value clients must send in `X-IDENTITY-HEADER` (their `IDENTITY_HEADER`). */
  readonly secret: string;
}

export const APP_SERVICE_OPTIONS: InjectionToken<AppServiceOptions> = Symbol(
  'guise.azure.AppServiceOptions',
);

/** The path of `IDENTITY_ENDPOINT`, as App Service's own (`http://127.0.0.1:<port>/msi/token`). */
export const APP_SERVICE_TOKEN_PATH = '/msi/token';

/** The only version of the 2019 protocol (§2); later ones are accepted as App Service does. */
export const APP_SERVICE_API_VERSION = '2019-08-01';
