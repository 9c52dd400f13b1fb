import type { AzureAccessToken } from './azure-access-token.js';

/**
 * Reads the claims guise renders from an Entra access token, without verifying the signature (the
 * token came straight from Entra over TLS; clients such as azure-cli do the same, §3.2). Throws
 * when the token is not a JWT carrying `tid` and `exp`: azure-cli cannot use such a token (§0.7).
 */
export function accessTokenOf(jwt: string): AzureAccessToken {
  const [, payload] = jwt.split('.');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    throw new Error('Entra returned an access token that is not a JWT');
  }
  const text = (name: string) => (typeof claims[name] === 'string' ? claims[name] : '');
  const exp = claims['exp'];
  if (text('tid') === '' || typeof exp !== 'number')
    throw new Error('Entra returned an access token without tid or exp claims');
  const notBefore = [claims['nbf'], claims['iat']].find((n): n is number => typeof n === 'number');
  return {
    accessToken: jwt,
    tenantId: text('tid'),
    objectId: text('oid'),
    clientId: text('appid') || text('azp'),
    notBeforeSeconds: notBefore ?? exp,
    expiresOnSeconds: exp,
  };
}
