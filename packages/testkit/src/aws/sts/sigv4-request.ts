import type { IncomingHttpHeaders } from 'node:http';
import { StsError } from './sts-xml.js';

/** The pieces of a received SigV4-signed request that re-signing needs. */
export interface ReceivedRequest {
  readonly method: string;
  /** Percent-decoded path. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` says. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

/**
 * Parses the SigV4 Authorization header. No header is AWS's `MissingAuthenticationToken`; a
 * malformed one (or another algorithm) is `IncompleteSignature`.
 */
export function parseAuthorization(headers: IncomingHttpHeaders): SigV4Authorization {
  const header = headers.authorization;
  if (header === undefined || header === '') {
    throw new StsError(
      403,
      'MissingAuthenticationToken',
      'Request is missing Authentication Token',
    );
  }
  const match = AUTHORIZATION.exec(header);
  const [, credential = '', signedHeaders = '', signature = ''] = match ?? [];
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] =
    credential.split('/');
  if (!match || terminator !== 'aws4_request' || !/^\d{8}$/.test(date)) {
    throw new StsError(
      400,
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header.split(' ')[0] ?? ''}`,
    );
  }
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `X-Amz-Date` (`20240101T120000Z`) as a Date. */
export function parseAmzDate(value: string | undefined): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) {
    throw new StsError(
      400,
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0),
  );
}

/** Single header value as SigV4 canonicalizes repeated headers: joined with commas. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
