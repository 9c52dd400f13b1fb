import { createSign, createVerify, type KeyObject } from 'node:crypto';

/** A compact JWS (RS256) as Google signs ID tokens and google-auth-library signs grants. */
export function signJwt(
  header: Readonly<Record<string, unknown>>,
  claims: Readonly<Record<string, unknown>>,
  privateKey: KeyObject,
): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', ...header })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** The parts of a compact JWS, or undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  const [header, claims, signature] = parts;
  if (parts.length !== 3 || !header || !claims || signature === undefined) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >,
      claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >,
      signingInput: `${header}.${claims}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export function hasValidRs256Signature(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  return (
    jwt.header['alg'] === 'RS256' &&
    createVerify('RSA-SHA256').update(jwt.signingInput).verify(publicKey, jwt.signature)
  );
}
