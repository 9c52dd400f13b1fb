import type { Clock } from '../clock.js';
import { randomString, randomUuid } from '../util/random.js';

/** A service principal as Entra knows it: the app registration plus its enterprise-app object. */
export interface FakeServicePrincipal {
  /** The application (client) id: what `client_id` in a token request names. */
  readonly appId: string;
  /** The service principal's object id: the `oid` of its tokens. */
  readonly objectId: string;
  /** The application object's id (Vault's `application_object_id`). */
  readonly applicationObjectId: string;
  readonly displayName: string;
}

/** A client secret of an app (Entra "password credential"). */
interface PasswordCredential {
  readonly keyId: string;
  readonly secret: string;
  /** When Entra starts accepting it: creation time + the tenant's propagation delay. */
  readonly usableFromMs: number;
}

interface Application extends FakeServicePrincipal {
  /** When token requests naming this app stop getting AADSTS700016. */
  readonly knownFromMs: number;
  readonly passwords: PasswordCredential[];
}

/** Why Entra refused a client-credentials request (reference/azure-imds.md §5.3). */
export type ClientRejection =
  | { readonly kind: 'unknown-client'; readonly appId: string }
  | { readonly kind: 'invalid-secret'; readonly appId: string };

/** Alphabet of Entra client secrets (`abc8Q~…`). */
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-';

/**
 * The "cloud": one Entra tenant and its subscription, whose service principals the fake Vault's
 * Azure engine creates and deletes, the fake Entra issues tokens to, and the fake ARM lists
 * subscriptions for. New apps and secrets can be made invisible for `propagationDelayMs`, as
 * Entra's eventual consistency makes them (AADSTS700016 / AADSTS7000215).
 */
export class FakeAzureTenant {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly now: Clock;
  /** How long a new app or secret stays unknown to the token endpoint. Default 0; settable. */
  propagationDelayMs: number;
  private readonly apps = new Map<string, Application>();
  /** Every client secret and access token issued in the tenant, deleted principals' included. */
  private readonly issued: string[] = [];

  constructor(
    options: {
      tenantId?: string;
      subscriptionId?: string;
      now?: Clock;
      propagationDelayMs?: number;
    } = {},
  ) {
    this.tenantId = options.tenantId ?? randomUuid();
    this.subscriptionId = options.subscriptionId ?? randomUuid();
    this.now = options.now ?? Date.now;
    this.propagationDelayMs = options.propagationDelayMs ?? 0;
  }

  /** Graph "create application" + "create servicePrincipal" + "addPassword", as Vault's dynamic roles do. */
  createServicePrincipal(displayName: string): { principal: FakeServicePrincipal; secret: string } {
    const knownFromMs = this.now() + this.propagationDelayMs;
    const app: Application = {
      appId: randomUuid(),
      objectId: randomUuid(),
      applicationObjectId: randomUuid(),
      displayName,
      knownFromMs,
      passwords: [],
    };
    this.apps.set(app.appId, app);
    return { principal: publicView(app), secret: this.addPassword(app.appId).secret };
  }

  /** Graph "addPassword" on an existing app (Vault roles with `application_object_id`). */
  addPassword(appId: string): { keyId: string; secret: string } {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`no application ${appId}`);
    const password: PasswordCredential = {
      keyId: randomUuid(),
      secret: `${randomString(SECRET_ALPHABET, 3)}8Q~${randomString(SECRET_ALPHABET, 34)}`,
      usableFromMs: this.now() + this.propagationDelayMs,
    };
    app.passwords.push(password);
    this.issued.push(password.secret);
    return password;
  }

  removePassword(appId: string, keyId: string): void {
    const app = this.apps.get(appId);
    if (!app) return;
    const index = app.passwords.findIndex((p) => p.keyId === keyId);
    if (index >= 0) app.passwords.splice(index, 1);
  }

  /** An existing app by its application object id (what Vault's `application_object_id` names). */
  findByApplicationObjectId(applicationObjectId: string): FakeServicePrincipal | undefined {
    const app = [...this.apps.values()].find((a) => a.applicationObjectId === applicationObjectId);
    return app && publicView(app);
  }

  deleteServicePrincipal(appId: string): void {
    this.apps.delete(appId);
  }

  /** Every service principal that exists now (for tests to compare tokens with). */
  principals(): FakeServicePrincipal[] {
    return [...this.apps.values()].map(publicView);
  }

  /** Entra's token endpoint keeps what it issued in the tenant's name (see `issuedSecrets`). */
  recordAccessToken(token: string): void {
    this.issued.push(token);
  }

  /**
   * Every client secret and access token ever issued in the tenant, deleted principals' included:
   * for tests asserting that none of them leaked into logs.
   */
  issuedSecrets(): string[] {
    return [...this.issued];
  }

  /** The principal a client-credentials request authenticates as, or why Entra refuses it. */
  authenticate(appId: string, secret: string): FakeServicePrincipal | ClientRejection {
    const app = this.apps.get(appId);
    const now = this.now();
    if (!app || now < app.knownFromMs) return { kind: 'unknown-client', appId };
    const password = app.passwords.find((p) => p.secret === secret);
    if (!password || now < password.usableFromMs) return { kind: 'invalid-secret', appId };
    return publicView(app);
  }
}

function publicView(app: Application): FakeServicePrincipal {
  const { appId, objectId, applicationObjectId, displayName } = app;
  return { appId, objectId, applicationObjectId, displayName };
}
