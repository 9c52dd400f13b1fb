import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { randomBase62 } from '../util/random.js';
import { signJwt } from './jws.js';

/** A service-account key as `projects.serviceAccounts.keys.create` returns it, decoded. */
export interface FakeServiceAccountKey {
  readonly keyId: string;
  readonly email: string;
  /** The JSON credentials file (`TYPE_GOOGLE_CREDENTIALS_FILE`), as Vault base64-encodes it. */
  readonly credentialsFile: string;
}

/** An OAuth access token the project issued, as tokeninfo describes it. */
export interface FakeAccessToken {
  readonly token: string;
  readonly email: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
}

/** What Google's token endpoint puts into an ID token for a service account. */
export type IdTokenClaims = {
  readonly aud: string;
  readonly azp: string;
  readonly email: string;
  readonly email_verified: true;
  readonly exp: number;
  readonly iat: number;
  readonly iss: 'https://accounts.google.com';
  readonly sub: string;
};

/** Google's OAuth token endpoint, the `aud` every JWT-bearer grant must name. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const TOKEN_LIFETIME_SECONDS = 3600;

/**
 * The "cloud": a GCP project whose service accounts, keys and tokens the fake Vault's GCP engine
 * creates and the fake Google APIs check. Access tokens are `ya29.` + random; ID tokens are RS256
 * JWTs signed with the project's "Google" key, published as JWKS and PEM like Google's certs.
 */
export class FakeGcpProject {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly now: Clock;
  private readonly keys = new Map<string, { email: string; publicKey: KeyObject }>();
  private readonly tokens = new Map<string, FakeAccessToken>();
  /** Every private key, access token and ID token issued, deleted keys included. */
  private readonly issued: string[] = [];
  private readonly googleKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly googleKeyId = randomBytes(20).toString('hex');

  constructor(options: { projectId?: string; projectNumber?: string; now?: Clock } = {}) {
    this.projectId = options.projectId ?? 'guise-demo';
    this.projectNumber = options.projectNumber ?? '123456789012';
    this.now = options.now ?? Date.now;
  }

  /** `<name>@<project>.iam.gserviceaccount.com`. */
  serviceAccountEmail(name: string): string {
    return `${name}@${this.projectId}.iam.gserviceaccount.com`;
  }

  /** The account's 21-digit unique id, the `sub` and `azp` of its ID tokens. */
  uniqueIdOf(email: string): string {
    const digest = BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 16)}`);
    return `1${String(digest).padStart(20, '0')}`;
  }

  /** A new RSA-2048 key for `email`, as a JSON credentials file. */
  createKey(email: string): FakeServiceAccountKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = randomBytes(20).toString('hex');
    this.keys.set(keyId, { email, publicKey });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.issued.push(privatePem);
    const credentialsFile = JSON.stringify(
      {
        type: 'service_account',
        project_id: this.projectId,
        private_key_id: keyId,
        private_key: privatePem,
        client_email: email,
        client_id: this.uniqueIdOf(email),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: GOOGLE_TOKEN_URL,
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
        universe_domain: 'googleapis.com',
      },
      null,
      2,
    );
    return { keyId, email, credentialsFile };
  }

  findKey(keyId: string): { email: string; publicKey: KeyObject } | undefined {
    return this.keys.get(keyId);
  }

  /** The public keys of `email`'s live keys. */
  keysOf(email: string): KeyObject[] {
    return [...this.keys.values()].filter((key) => key.email === email).map((key) => key.publicKey);
  }

  deleteKey(keyId: string): void {
    this.keys.delete(keyId);
  }

  issueAccessToken(
    email: string,
    scopes: readonly string[],
    lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
  ): FakeAccessToken {
    const issued: FakeAccessToken = {
      token: `ya29.${randomBase62(120)}`,
      email,
      scopes: [...scopes],
      expiresAtMs: this.now() + lifetimeSeconds * 1000,
    };
    this.tokens.set(issued.token, issued);
    this.issued.push(issued.token);
    return issued;
  }

  /** The token's grant while it is valid; undefined once unknown or expired. */
  findAccessToken(token: string): FakeAccessToken | undefined {
    const found = this.tokens.get(token);
    return found && found.expiresAtMs > this.now() ? found : undefined;
  }

  /** An ID token for `email` and `audience`, signed with the project's "Google" key. */
  signIdToken(email: string, audience: string): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: IdTokenClaims = {
      aud: audience,
      azp: this.uniqueIdOf(email),
      email,
      email_verified: true,
      exp: iat + TOKEN_LIFETIME_SECONDS,
      iat,
      iss: 'https://accounts.google.com',
      sub: this.uniqueIdOf(email),
    };
    const token = signJwt({ kid: this.googleKeyId }, claims, this.googleKey.privateKey);
    this.issued.push(token);
    return token;
  }

  /**
   * Every service-account private key (PEM), access token and ID token the project ever issued,
   * deleted keys included: for tests asserting that none of them leaked into logs.
   */
  issuedSecrets(): string[] {
    return [...this.issued];
  }

  /** Google's `oauth2/v3/certs` (JWKS). */
  jwks(): { keys: Record<string, string>[] } {
    const jwk = this.googleKey.publicKey.export({ format: 'jwk' });
    return {
      keys: [
        {
          kty: 'RSA',
          alg: 'RS256',
          use: 'sig',
          kid: this.googleKeyId,
          n: jwk.n ?? '',
          e: jwk.e ?? '',
        },
      ],
    };
  }

  /** `oauth2/v1/certs`: kid → PEM. Google serves X.509 certificates; a public key verifies alike. */
  pemCerts(): Record<string, string> {
    return {
      [this.googleKeyId]: this.googleKey.publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString(),
    };
  }
}
