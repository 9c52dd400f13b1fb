import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { hostAndPort, sendExact } from '@guise/core';

/**
 * GCE's responses (reference/gcp-metadata.md §1.1): the headers every response carries, errors
 * included; the content types clients compare (`application/text`, `application/json` with no
 * charset, Google's HTML error pages as `text/html; charset=UTF-8`).
 */
export const GCE_HEADERS: Readonly<Record<string, string>> = {
  'Metadata-Flavor': 'Google',
  Server: 'Metadata Server for VM',
  'X-XSS-Protection': '0',
  'X-Frame-Options': 'SAMEORIGIN',
};

export const TEXT = 'application/text';
export const JSON_TYPE = 'application/json';
const HTML = 'text/html; charset=UTF-8';

/**
 * The 16-character ETag: the last 16 hex digits of the MD5 of the default representation, as
 * Google's emulator computes it; the .NET client checks `\A[a-zA-Z0-9]{16}\Z` (§1.2).
 */
export function etagOf(body: string): string {
  return createHash('md5').update(body).digest('hex').slice(-16);
}

export function sendOk(ctx: Context, contentType: string, body: string, etag: string): void {
  ctx.response.set('ETag', etag);
  sendExact(ctx, 200, contentType, body);
}

/** Google's HTML error page ("Error 404 (Not Found)!!1"), the body GCE sends with 403 and 404. */
function googleErrorPage(status: 400 | 403 | 404, reason: string, message: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang=en>',
    '  <meta charset=utf-8>',
    '  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">',
    `  <title>Error ${status} (${reason})!!1</title>`,
    '  <style>',
    '    *{margin:0;padding:0}html,code{font:15px/22px arial,sans-serif}html{background:#fff;color:#222;padding:15px}body{margin:7% auto 0;max-width:390px;min-height:180px;padding:30px 0 15px}* > body{background:url(//www.google.com/images/errors/robot.png) 100% 5px no-repeat;padding-right:205px}p{margin:11px 0 22px;overflow:hidden}ins{color:#777;text-decoration:none}a img{border:0}@media screen and (max-width:772px){body{background:none;margin-top:0;max-width:none;padding-right:0}}#logo{background:url(//www.google.com/images/branding/googlelogo/1x/googlelogo_color_150x54dp.png) no-repeat;margin-left:-5px}@media only screen and (min-resolution:192dpi){#logo{background:url(//www.google.com/images/branding/googlelogo/2x/googlelogo_color_150x54dp.png) no-repeat 0% 0%/100% 100%;-moz-border-image:url(//www.google.com/images/branding/googlelogo/2x/googlelogo_color_150x54dp.png) 0}}@media only screen and (-webkit-min-device-pixel-ratio:2){#logo{background:url(//www.google.com/images/branding/googlelogo/2x/googlelogo_color_150x54dp.png) no-repeat;-webkit-background-size:100% 100%}}#logo{display:inline-block;height:54px;width:150px}',
    '  </style>',
    '  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>',
    `  <p><b>${status}.</b> <ins>That’s an error.</ins>`,
    `  <p>${message}  <ins>That’s all we know.</ins>`,
    '',
  ].join('\n');
}

/** The path as the page shows it: HTML-escaped, so a crafted URL cannot inject markup. */
function shownPath(ctx: Context): string {
  return ctx.path.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function sendNotFound(ctx: Context): void {
  sendExact(
    ctx,
    404,
    HTML,
    googleErrorPage(
      404,
      'Not Found',
      `The requested URL <code>${shownPath(ctx)}</code> was not found on this server.`,
    ),
  );
}

/** Missing `Metadata-Flavor: Google`, or `X-Forwarded-For` present (§1.1). */
export function sendForbidden(ctx: Context): void {
  sendExact(
    ctx,
    403,
    HTML,
    googleErrorPage(
      403,
      'Forbidden',
      `Your client does not have permission to get URL <code>${shownPath(ctx)}</code> from this server.`,
    ),
  );
}

/** Bad query parameters (`alt` on a plain directory, `wait_for_change` on one, a bad timeout). */
export function sendBadRequest(ctx: Context): void {
  sendExact(
    ctx,
    400,
    HTML,
    googleErrorPage(400, 'Bad Request', 'Your client has issued a malformed or illegal request.'),
  );
}

/**
 * A plain-text error where GCE's message is what clients and people read, e.g. the identity
 * endpoint's `non-empty audience parameter required` (§1.4). The metadata server is written in Go,
 * whose `http.Error` answers `text/plain; charset=utf-8` with the message and a newline.
 */
export function sendPlainError(ctx: Context, status: 400 | 405 | 503, message: string): void {
  sendExact(ctx, status, 'text/plain; charset=utf-8', `${message}\n`);
}

/**
 * A directory asked for without its trailing slash: 301 to the slash form, query kept, pointing
 * back at the host the client used (gcp-metadata #361, gax-dotnet #410; §1.2). Body as salrashid's
 * emulator: the target path and a newline.
 */
export function sendDirectoryRedirect(ctx: Context): void {
  const target = `${ctx.path}/${ctx.querystring ? `?${ctx.querystring}` : ''}`;
  ctx.set('Location', `http://${ctx.host || listenerAddress(ctx)}${target}`);
  sendExact(ctx, 301, TEXT, `${target}\n`);
}

/** The address the request came in on, for an HTTP/1.0 request that names no host. */
function listenerAddress(ctx: Context): string {
  const { localAddress = '', localPort = '' } = ctx.req.socket;
  return hostAndPort(localAddress, localPort);
}
