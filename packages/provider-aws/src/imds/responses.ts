import type { Context } from 'koa';
import { sendExact } from '@guise/core';
import type { LeafValue } from './metadata-tree.js';

/**
 * IMDS's responses. Bodies carry no trailing newline and types carry no charset, because clients
 * use bodies as they are (botocore appends the role listing to a URL unstripped) — see
 * reference/aws-imds.md §0.3, §1.7.
 */

/** `Server: EC2ws` is on every IMDS response, errors included; some clients detect IMDS by it. */
export const IMDS_HEADERS: Readonly<Record<string, string>> = {
  Server: 'EC2ws',
  Connection: 'close',
};

/** Echoed on the token PUT and on every request made with a valid token (§1.2, §1.7). */
export const TOKEN_TTL_HEADER = 'X-Aws-Ec2-Metadata-Token-Ttl-Seconds';

export function sendValue(ctx: Context, value: LeafValue, contentType = 'text/plain'): void {
  sendExact(ctx, 200, contentType, value);
}

/**
 * 400, 401, 403 and 405 have empty bodies on EC2 (a real 403 shows `content-length: 0`, a real
 * 401 "status 401 and empty body", §1.2–§1.4).
 */
export function sendEmpty(ctx: Context, status: 400 | 401 | 403 | 405 | 500 | 503): void {
  sendExact(ctx, status, 'text/plain', '');
}

/** 405 names what the resource does accept, as HTTP requires. */
export function sendMethodNotAllowed(ctx: Context, allowed: readonly string[]): void {
  ctx.set('Allow', allowed.join(', '));
  sendEmpty(ctx, 405);
}

/**
 * EC2's 404 page, byte for byte as AEMM replicates it from the real service (§1.4). It is XHTML,
 * so it goes out as `text/html` — the one IMDS response that is not `text/plain` or user-data.
 */
export const NOT_FOUND_BODY = [
  '<?xml version="1.0" encoding="iso-8859-1"?>',
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"',
  '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
  '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
  ' <head>',
  '  <title>404 - Not Found</title>',
  ' </head>',
  ' <body>',
  '  <h1>404 - Not Found</h1>',
  ' </body>',
  '</html>',
].join('\n');

export function sendNotFound(ctx: Context): void {
  sendExact(ctx, 404, 'text/html', NOT_FOUND_BODY);
}
