import type { DependencyContainer } from 'tsyringe';
import type { Clock, CredentialSource, VaultAccess, VaultSession } from '@guise/core';
import { CredentialBroker, TOKENS } from '@guise/core';
import type { GcpAccessToken, GceServiceAccount, GoogleEndpoints } from '@guise/provider-gcp';
import {
  IamIdTokenSource,
  KeyAccessTokenSource,
  KeyIdTokenSource,
  VaultGcpKeySource,
  VaultGcpTokenSource,
} from '@guise/provider-gcp';
import type { GcpConfig } from '../config/schema.js';

type TokenVault = GcpConfig['serviceAccount']['token']['vault'];
type KeyVault = NonNullable<NonNullable<GcpConfig['serviceAccount']['identity']>['vault']>;
type Identity = NonNullable<GcpConfig['serviceAccount']['identity']>;

/** The configured service account as GCE serves it, and every Vault request its sources make. */
export interface GcpServiceAccountSources {
  readonly account: GceServiceAccount;
  /** One per Vault source built (tokens read, keys written), for `guise doctor`. */
  readonly vaultAccess: readonly VaultAccess[];
}

/**
 * Builds the configured service account's sources from Vault's GCP engine: tokens read from a
 * roleset or account, or minted from a Vault-issued key; ID tokens from a key or IAM Credentials.
 * `scope` provides the VaultSession, Clock and CredentialBroker.
 */
export function gcpServiceAccount(
  scope: DependencyContainer,
  gcp: GcpConfig,
): GcpServiceAccountSources {
  const session = scope.resolve(TOKENS.VaultSession);
  const clock = scope.resolve(TOKENS.Clock);
  const broker = scope.resolve(CredentialBroker);
  const vaultAccess: VaultAccess[] = [];
  const recorded = <S extends { vaultAccess: VaultAccess }>(source: S): S => {
    vaultAccess.push(source.vaultAccess);
    return source;
  };
  const endpoints: GoogleEndpoints = gcp.googleTokenUrl ? { tokenUrl: gcp.googleTokenUrl } : {};
  const keySource = (vault: KeyVault) =>
    recorded(
      new VaultGcpKeySource(
        session,
        {
          mount: vault.mount,
          kind: vault.roleset !== undefined ? 'roleset' : 'static-account',
          name: vault.roleset ?? vault.staticAccount ?? '',
          ttlSeconds: vault.keyTtl,
        },
        clock,
      ),
    );
  const tokenSource = (
    vault: TokenVault,
    scopes: readonly string[],
  ): CredentialSource<GcpAccessToken> =>
    vault.fromKey
      ? new KeyAccessTokenSource(broker, keySource(vault), scopes, clock, endpoints)
      : recorded(vaultTokenSource(session, vault, clock));

  const { serviceAccount: config } = gcp;
  const token = tokenSource(config.token.vault, config.scopes);
  const identitySource = (identity: Identity) =>
    identity.vault
      ? new KeyIdTokenSource(broker, keySource(identity.vault), clock, endpoints)
      : new IamIdTokenSource(broker, token, config.email, clock, {
          ...(gcp.iamCredentialsUrl ? { iamCredentialsUrl: gcp.iamCredentialsUrl } : {}),
        });
  const account: GceServiceAccount = {
    email: config.email,
    scopes: config.scopes,
    token,
    scopedTokens: config.scopedTokens?.map((set) => ({
      scopes: set.scopes,
      source: tokenSource(set.vault, set.scopes),
    })),
    ...(config.identity ? { identity: identitySource(config.identity) } : {}),
  };
  return { account, vaultAccess };
}

function vaultTokenSource(session: VaultSession, vault: TokenVault, clock: Clock) {
  const [kind, name] =
    vault.roleset !== undefined
      ? (['roleset', vault.roleset] as const)
      : vault.staticAccount !== undefined
        ? (['static-account', vault.staticAccount] as const)
        : (['impersonated-account', vault.impersonatedAccount ?? ''] as const);
  return new VaultGcpTokenSource(session, { mount: vault.mount, kind, name }, clock);
}
