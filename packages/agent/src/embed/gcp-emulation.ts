import { TOKENS } from '@guise/core';
import type {
  GcpAccessToken,
  GceInstanceConfig,
  IdToken,
  IdTokenRequest,
} from '@guise/provider-gcp';
import { registerGceMetadata } from '@guise/provider-gcp';
import { gcpMetadataEnv } from '../sdk-env/metadata-env.js';
import type { CredentialInput, ValueShape } from './credential-input.js';
import { credentialSourceOf, hasStringFields } from './credential-input.js';
import type { EmulatedDialect } from './emulated-dialect.js';

/** The GCE metadata server an emulator serves: a project and the VM's service account. */
export interface GcpEmulation {
  readonly project: {
    readonly id: string;
    /** Decimal digits (`numeric-project-id`). */
    readonly number: string;
  };
  readonly serviceAccount: {
    readonly email: string;
    /** Listed under `scopes`; default `cloud-platform`. */
    readonly scopes?: string[];
    /**
     * Access tokens for the account (`{ token: 'ya29...' }`): fixed, a callback, or any
     * CredentialSource (e.g. a `VaultGcpTokenSource`).
     */
    readonly accessToken: CredentialInput<GcpAccessToken>;
    /**
     * ID tokens (signed JWTs) for `service-accounts/default/identity`: usually a callback of the
     * requested audience, or any CredentialSource. Absent: that endpoint answers 404.
     */
    readonly idToken?: CredentialInput<IdToken, IdTokenRequest>;
  };
  /** Lifetime given to static and callback tokens that carry no expiry; default 3600 s. */
  readonly ttlSeconds?: number;
  /** What the VM says about itself (id, zone, name, attributes, ...). */
  readonly instance?: GceInstanceConfig;
}

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

const ACCESS_TOKEN: ValueShape<GcpAccessToken> = {
  description: "an access token { token: 'ya29...' }",
  matches: (value): value is GcpAccessToken => hasStringFields(value, ['token']),
};

const ID_TOKEN: ValueShape<IdToken> = {
  description: 'an ID token (the signed JWT, a string)',
  matches: (value): value is IdToken => typeof value === 'string',
};

/** The GCE dialect of the emulator. */
export function gcpDialect(gcp: GcpEmulation): EmulatedDialect {
  return {
    register(scope) {
      const lifetime = { ttlSeconds: gcp.ttlSeconds, clock: scope.resolve(TOKENS.Clock) };
      const account = gcp.serviceAccount;
      registerGceMetadata(scope, {
        project: { projectId: gcp.project.id, numericProjectId: gcp.project.number },
        instance: gcp.instance,
        serviceAccount: {
          email: account.email,
          scopes: account.scopes ?? [CLOUD_PLATFORM],
          token: credentialSourceOf('gcp', account.accessToken, {
            ...lifetime,
            shape: ACCESS_TOKEN,
          }),
          ...(account.idToken
            ? {
                identity: credentialSourceOf('gcp-identity', account.idToken, {
                  ...lifetime,
                  shape: ID_TOKEN,
                }),
              }
            : {}),
        },
      });
    },
    env: gcpMetadataEnv,
  };
}
