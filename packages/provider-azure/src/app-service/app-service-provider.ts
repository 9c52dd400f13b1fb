import { timingSafeEqual } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import compose from 'koa-compose';
import { azurePath } from '../http/azure-path.js';
import { inject, injectable } from 'tsyringe';
import type { Logger, MetadataProvider } from '@guise/core';
import { errorBoundary, queryParams, rejectForwarded, routeTable, TOKENS } from '@guise/core';
import { RESOURCE_MISSING, SELECTION_REFUSALS, tokenFailure } from '../identity/identity-errors.js';
import { IdentityTokens } from '../identity/identity-tokens.js';
import { sendJson } from '../imds/imds-responses.js';
import type { AppServiceOptions } from './app-service-options.js';
import {
  APP_SERVICE_API_VERSION,
  APP_SERVICE_OPTIONS,
  APP_SERVICE_TOKEN_PATH,
} from './app-service-options.js';

const invalidRequest = (description: string) => ({
  error: 'invalid_request',
  error_description: description,
});

/**
 * `GET /msi/token?api-version=2019-08-01&resource[&client_id|principal_id|object_id|mi_res_id]`
 * with `X-IDENTITY-HEADER` (§2.1). The answer is App Service's shape — `access_token`,
 * `expires_on` (epoch seconds), `resource`, `token_type`, `client_id`, no `expires_in` — from the
 * same identities and cached tokens as the IMDS dialect. Mounted on its own listener by the agent,
 * not on the shared metadata address.
 */
@injectable()
export class AppServiceProvider implements MetadataProvider {
  readonly name = 'azure-app-service';
  private readonly handler: Middleware;

  constructor(
    @inject(APP_SERVICE_OPTIONS) options: AppServiceOptions,
    @inject(IdentityTokens) tokens: IdentityTokens,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    if (options.secret.length < 16)
      throw new Error(
        'azure app service: the identity header secret must have 16 characters or more',
      );
    const secret = Buffer.from(options.secret);
    const serveToken = async (ctx: Context) => {
      const query = queryParams(ctx);
      const version = query.get('api-version') ?? '';
      if (!/^\d{4}-\d\d-\d\d$/.test(version) || version < APP_SERVICE_API_VERSION)
        return sendJson(
          ctx,
          400,
          invalidRequest(`api-version must be ${APP_SERVICE_API_VERSION} or later`),
        );
      const resource = query.get('resource') ?? '';
      if (resource === '') return sendJson(ctx, 400, invalidRequest(RESOURCE_MISSING));
      const served = await tokens.serve(
        {
          clientId: query.get('client_id') ?? undefined,
          objectId: query.get('principal_id') ?? query.get('object_id') ?? undefined,
          resourceId: query.get('mi_res_id') ?? undefined,
        },
        resource,
      );
      if (typeof served === 'string')
        return sendJson(ctx, 400, invalidRequest(SELECTION_REFUSALS[served]));
      sendJson(ctx, 200, {
        access_token: served.issued.value.accessToken,
        expires_on: String(served.issued.value.expiresOnSeconds),
        resource,
        token_type: 'Bearer',
        client_id: served.clientId,
      });
    };
    const stack: Middleware[] = [
      errorBoundary(logger.child({ component: 'azure-app-service' }), (ctx, error) => {
        const { status, body } = tokenFailure(error);
        sendJson(ctx, status, body);
      }),
      rejectForwarded((ctx) =>
        sendJson(
          ctx,
          400,
          invalidRequest('Requests with an X-Forwarded-For header are not allowed'),
        ),
      ),
      // The secret header is the whole authentication of this dialect: compared in constant time.
      async (ctx: Context, next: Next) => {
        const sent = Buffer.from(ctx.get('x-identity-header'));
        if (sent.length !== secret.length || !timingSafeEqual(sent, secret)) {
          return sendJson(ctx, 401, {
            error: 'unauthorized_client',
            error_description: 'X-IDENTITY-HEADER is missing or invalid',
          });
        }
        await next();
      },
      routeTable([
        [
          azurePath(APP_SERVICE_TOKEN_PATH),
          // A GET (or HEAD) resource: other methods get the 404 below, as from any unknown route.
          (ctx, next) => (ctx.method === 'GET' || ctx.method === 'HEAD' ? serveToken(ctx) : next()),
        ],
      ]),
      (ctx) => sendJson(ctx, 404, { error: 'not_found', error_description: 'Not found' }),
    ];
    this.handler = compose(stack);
  }

  middleware(): Middleware {
    return this.handler;
  }
}
