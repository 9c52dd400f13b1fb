import type { IncomingHttpHeaders } from 'node:http';
import { parseDurationSeconds } from '../../util/go-duration.js';
import { isRecord } from '../../util/is-record.js';
import { randomUuid } from '../../util/random.js';
import { badRequest, VaultError } from '../errors.js';
import { parseGoBool } from '../fields.js';
import type { Operation, VaultRequest } from '../logical.js';

/** The raw pieces of an HTTP request the Vault parser needs. */
export interface RawRequest {
  readonly method: string;
  /** The path under `/v1/`, percent-decoded, no leading slash. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly remoteAddress: string;
}

/**
 * Turns an HTTP request into a Vault request as http/logical.go does: the method picks the
 * operation (`LIST` ≡ `GET ?list=true`, with a trailing `/` added), GET and DELETE read the query
 * (without `help` and `list`), POST/PUT/PATCH read the body only (JSON, or a form when the body
 * does not look like JSON), the token comes from `X-Vault-Token` or `Authorization: Bearer`.
 * `X-Vault-Namespace` is accepted and ignored: this fake has the single root namespace.
 */
export function parseVaultRequest(raw: RawRequest): VaultRequest {
  const operation = operationOf(raw);
  const path = operation === 'list' && !raw.path.endsWith('/') ? `${raw.path}/` : raw.path;
  const data = ['read', 'list', 'delete'].includes(operation)
    ? queryData(raw.query)
    : bodyData(raw);
  return {
    id: randomUuid(),
    operation,
    path,
    data,
    clientToken: clientTokenOf(raw.headers),
    wrapTtlSeconds: wrapTtlOf(raw.headers),
    remoteAddress: raw.remoteAddress.replace(/^::ffff:/, ''),
  };
}

function operationOf(raw: RawRequest): Operation {
  switch (raw.method) {
    case 'GET': {
      const list = raw.query.get('list');
      return list !== null && parseGoBool(list) === true ? 'list' : 'read';
    }
    case 'LIST':
      return 'list';
    case 'POST':
    case 'PUT':
      return 'update';
    case 'DELETE':
      return 'delete';
    case 'PATCH':
      return 'patch';
    default:
      throw new VaultError(405, []);
  }
}

/** Single values become strings, repeated ones arrays (http/logical.go parseQuery). */
function queryData(query: URLSearchParams): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (key === 'help' || key === 'list') continue;
    const values = query.getAll(key);
    data[key] = values.length === 1 ? values[0] : values;
  }
  return data;
}

function bodyData(raw: RawRequest): Record<string, unknown> {
  const text = raw.body.trim();
  if (text === '') return {};
  const contentType = raw.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded') && !text.startsWith('{')) {
    return queryData(new URLSearchParams(text));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest(`failed to parse JSON input: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) {
    throw badRequest(
      'failed to parse JSON input: json: cannot unmarshal into Go value of type map[string]interface {}',
    );
  }
  return parsed;
}

function clientTokenOf(headers: IncomingHttpHeaders): string {
  const header = headers['x-vault-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = headers.authorization ?? '';
  return /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : '';
}

/** `X-Vault-Wrap-TTL`: integer seconds or a duration string; anything else is a 400. */
function wrapTtlOf(headers: IncomingHttpHeaders): number {
  const header = headers['x-vault-wrap-ttl'];
  if (header === undefined || header === '') return 0;
  const seconds = parseDurationSeconds(Array.isArray(header) ? header[0] : header);
  if (seconds === undefined || seconds < 0)
    throw badRequest('error parsing X-Vault-Wrap-TTL header');
  return seconds;
}
