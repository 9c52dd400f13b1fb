import type { DependencyContainer } from 'tsyringe';
import type { Clock, CredentialSource, VaultSession } from '@guise/core';
import { CredentialBroker, TOKENS } from '@guise/core';
import type { GcpAccessToken, GoogleEndpoints } from '@guise/provider-gcp';
import {
  IamIdTokenSource,
  KeyAccessTokenSource,
  KeyIdTokenSource,
  registerGceMetadata,
  VaultGcpKeySource,
  VaultGcpTokenSource,
} from '@guise/provider-gcp';
import type { GcpConfig } from '../config/schema.js';

type TokenVault = GcpConfig['serviceAccount']['token']['vault'];
type KeyVault = NonNullable<NonNullable<GcpConfig['serviceAccount']['identity']>['vault']>;
type Identity = NonNullable<GcpConfig['serviceAccount']['identity']>;

/**
 * Mounts the GCE metadata dialect, serving the configured service account's tokens from Vault's
 * GCP engine. Must run before `registerAws`: GCE claims `/` only for `Metadata-Flavor: Google`.
 */
export function registerGcp(scope: DependencyContainer, gcp: GcpConfig): void {
  const session = scope.resolve(TOKENS.VaultSession);
  const clock = scope.resolve(TOKENS.Clock);
  const broker = scope.resolve(CredentialBroker);
  const endpoints: GoogleEndpoints = gcp.googleTokenUrl ? { tokenUrl: gcp.googleTokenUrl } : {};
  const keySource = (vault: KeyVault) =>
    new VaultGcpKeySource(
      session,
      {
        mount: vault.mount,
        kind: vault.roleset !== undefined ? 'roleset' : 'static-account',
        name: vault.roleset ?? vault.staticAccount ?? '',
        ttlSeconds: vault.keyTtl,
      },
      clock,
    );
  const tokenSource = (
    vault: TokenVault,
    scopes: readonly string[],
  ): CredentialSource<GcpAccessToken> =>
    vault.fromKey
      ? new KeyAccessTokenSource(broker, keySource(vault), scopes, clock, endpoints)
      : vaultTokenSource(session, vault, clock);

  const { serviceAccount: account, project } = gcp;
  const token = tokenSource(account.token.vault, account.scopes);
  const identitySource = (identity: Identity) =>
    identity.vault
      ? new KeyIdTokenSource(broker, keySource(identity.vault), clock, endpoints)
      : new IamIdTokenSource(broker, token, account.email, clock, {
          ...(gcp.iamCredentialsUrl ? { iamCredentialsUrl: gcp.iamCredentialsUrl } : {}),
        });
  registerGceMetadata(scope, {
    project: {
      projectId: project.id,
      numericProjectId: project.number,
      ...(project.attributes ? { attributes: project.attributes } : {}),
    },
    instance: gcp.instance,
    serviceAccount: {
      email: account.email,
      scopes: account.scopes,
      token,
      scopedTokens: account.scopedTokens?.map((set) => ({
        scopes: set.scopes,
        source: tokenSource(set.vault, set.scopes),
      })),
      ...(account.identity ? { identity: identitySource(account.identity) } : {}),
    },
    ...(gcp.universeDomain ? { universeDomain: gcp.universeDomain } : {}),
    ...(gcp.maxHangingGets ? { maxHangingGets: gcp.maxHangingGets } : {}),
  });
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
