import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { randomBase62 } from '../../util/random.js';

/** The claims of an access token the fake Entra issues (a subset of Entra's v1 app tokens). */
export interface AccessTokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  /** The service principal's client id. */
  readonly appid: string;
  readonly idtyp: 'app';
  /** The service principal's object id. */
  readonly oid: string;
  readonly sub: string;
  readonly tid: string;
  readonly ver: '1.0';
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/**
 * Signs access tokens as RS256 JWTs (azure-cli decodes them with PyJWT and reads `tid`,
 * reference/azure-imds.md §0.7) and verifies them for the fake ARM. The key lives for the process.
 */
export class TokenSigner {
  readonly keyId = randomBase62(27);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = createPublicKey(pair.privateKey);
  }

  sign(claims: AccessTokenClaims): string {
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.keyId }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** The claims of a token this signer made, or undefined for anything else. */
  verify(token: string): AccessTokenClaims | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return undefined;
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    return valid
      ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims)
      : undefined;
  }

  /** The `keys` of the tenant's `jwks_uri`. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    return {
      keys: [
        { ...this.publicKey.export({ format: 'jwk' }), kid: this.keyId, use: 'sig', alg: 'RS256' },
      ],
    };
  }
}
