import type { Context } from 'koa';
import { sendExact } from '@guise/core';
import { NEWEST_VERSIONS } from './api-versions.js';

/**
 * The Azure IMDS responses. Content type and server are those captured from real IMDS
 * (reference/azure-imds.md §1.1); bodies are compact JSON without a trailing newline.
 */
export const IMDS_HEADERS: Readonly<Record<string, string>> = {
  Server: 'Microsoft-IIS/10.0',
};

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(ctx: Context, status: number, body: unknown): void {
  sendExact(ctx, status, JSON_TYPE, JSON.stringify(body));
}

/** A JSON body rendered beforehand (e.g. kept with the token it shows). */
export function sendJsonBytes(ctx: Context, status: number, body: Buffer): void {
  sendExact(ctx, status, JSON_TYPE, body);
}

export function sendText(ctx: Context, text: string): void {
  sendExact(ctx, 200, 'text/plain; charset=utf-8', text);
}

/** The area of IMDS a request is in decides the shape of its error bodies. */
export type ImdsArea = 'identity' | 'instance';

/**
 * A refusal in the area's own shape: the identity endpoint speaks OAuth
 * (`{"error":"invalid_request","error_description":…}`, §1.6), the rest
 * `{"error":"Bad request: . <message>"}` as a user saw for a missing header (§0.2).
 */
export function sendBadRequest(ctx: Context, area: ImdsArea, message: string): void {
  sendJson(
    ctx,
    400,
    area === 'identity'
      ? { error: 'invalid_request', error_description: message }
      : { error: `Bad request: . ${message}` },
  );
}

export const METADATA_HEADER_MISSING = 'Required metadata header not specified';

/** The documented answer to a missing or unsupported api-version (IMDSDOC, §1.2), on every path. */
export function sendBadVersion(ctx: Context): void {
  sendJson(ctx, 400, {
    error:
      'Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds',
    'newest-versions': NEWEST_VERSIONS,
  });
}

/** Real IMDS's 404/405 bodies are not known (§7); these keep the area's shape. */
export function sendNotFound(ctx: Context, area: ImdsArea): void {
  sendJson(
    ctx,
    404,
    area === 'identity'
      ? { error: 'not_found', error_description: 'Not found' }
      : { error: 'Not found' },
  );
}

export function sendMethodNotAllowed(ctx: Context, area: ImdsArea): void {
  ctx.set('Allow', 'GET');
  sendJson(
    ctx,
    405,
    area === 'identity'
      ? { error: 'method_not_allowed', error_description: 'Method not allowed' }
      : { error: 'Method not allowed' },
  );
}
