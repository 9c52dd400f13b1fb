import type { Context } from 'koa';
import type { InstanceFacts } from '@guise/core';
import { queryParams } from '@guise/core';
import type { AzureInstanceConfig } from './instance/instance-config.js';
import { instanceDocument } from './instance/instance-document.js';
import { filterDocument, renderText } from './instance/route-filter.js';
import { sendBadRequest, sendJson, sendNotFound, sendText } from './imds-responses.js';

/** `/metadata/instance` and below, in any case, the rest of the path being the route (§1.4). */
export const INSTANCE_PATH = /^\/+metadata\/+instance(?:\/([^]*))?$/i;

/**
 * `GET /metadata/instance[/<route>]?api-version&format=json|text` (§1.4): the document for the
 * requested version, filtered by the route; a leaf needs `format=text` ("format=json doesn't
 * work" on leaves, IMDSDOC §Route parameters).
 */
export function instanceEndpoint(config: AzureInstanceConfig, facts: InstanceFacts) {
  return (ctx: Context): void => {
    const query = queryParams(ctx);
    const version = query.get('api-version') ?? '';
    const node = filterDocument(
      instanceDocument(config, facts, version),
      routeOf(ctx.path)
        .split('/')
        .filter((segment) => segment !== ''),
    );
    if (node === undefined) return sendNotFound(ctx, 'instance');
    const format = query.get('format') ?? 'json';
    if (format === 'text') return sendText(ctx, renderText(node));
    if (format !== 'json')
      return sendBadRequest(ctx, 'instance', `Invalid format '${format}', use json or text`);
    if (typeof node === 'string') {
      return sendBadRequest(
        ctx,
        'instance',
        'Query parameter format=json is not supported for leaf nodes, use format=text',
      );
    }
    sendJson(ctx, 200, node);
  };
}

/** The route of an instance path, decoded as a whole (a malformed escape is kept as written). */
function routeOf(path: string): string {
  const route = INSTANCE_PATH.exec(path)?.[1] ?? '';
  try {
    return decodeURIComponent(route);
  } catch {
    return route;
  }
}
