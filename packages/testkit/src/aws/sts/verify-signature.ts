import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import type { FakeAwsCredential } from '../fake-aws-account.js';
import {
  headerValue,
  parseAmzDate,
  type ReceivedRequest,
  type SigV4Authorization,
} from './sigv4-request.js';

/**
 * Whether `request` carries a valid SigV4 signature by `credential`: the request is signed again
 * with the stored secret by `@smithy/signature-v4` (same date, scope and signed headers) and the
 * two signatures are compared. A claimed `x-amz-content-sha256` must match the body.
 */
export async function hasValidSignature(
  request: ReceivedRequest,
  authorization: SigV4Authorization,
  credential: FakeAwsCredential,
): Promise<boolean> {
  const claimedPayloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (claimedPayloadHash !== undefined && claimedPayloadHash !== 'UNSIGNED-PAYLOAD') {
    if (claimedPayloadHash !== createHash('sha256').update(request.body).digest('hex'))
      return false;
  }

  const signed = new Set(authorization.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const toSign: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: 'sts',
    path: request.path,
    query: queryBag(request.query),
    headers,
    body: request.body === '' ? undefined : request.body,
  };
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      ...(credential.sessionToken !== undefined && { sessionToken: credential.sessionToken }),
    },
    region: authorization.region,
    service: authorization.service,
    sha256: Sha256,
    // Sign exactly what the client signed: no checksum header of our own.
    applyChecksum: false,
  });
  const resigned = await signer.sign(toSign, {
    signingDate: parseAmzDate(headerValue(request.headers, 'x-amz-date')),
    signableHeaders: signed,
    // The signer adds the session token header itself; leave it out if the client did not sign it.
    ...(!signed.has('x-amz-security-token') && {
      unsignableHeaders: new Set(['x-amz-security-token']),
    }),
  });
  const expected =
    /Signature=([0-9a-f]+)/.exec(String(resigned.headers['authorization']))?.[1] ?? '';
  return sameText(expected, authorization.signature);
}

function queryBag(query: URLSearchParams): QueryParameterBag {
  const bag: QueryParameterBag = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    bag[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return bag;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
