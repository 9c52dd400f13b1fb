import { encodeGoJson } from '../util/go-json.js';
import {
  invalidToken,
  notFound,
  permissionDenied,
  unsupportedOperation,
  unsupportedPath,
  VaultError,
} from './errors.js';
import { envelope } from './http/envelope.js';
import type { HandlerContext, LogicalResponse, Operation, VaultRequest } from './logical.js';
import type { Capability } from './policy/parse-policy.js';
import { matchRoute, type HandlerSlot, type RouteMatch } from './routing/route.js';
import type { VaultServices } from './services.js';
import type { TokenEntry } from './tokens/token-entry.js';
import { renderAuth } from './tokens/render-auth.js';
import { WRAPPING_TOKEN_PATHS } from './wrapping/response-wrapper.js';

/** What the HTTP layer sends: a status and, unless it is a 204, a JSON body. */
export interface HttpAnswer {
  readonly status: number;
  readonly body?: string;
}

const SLOT: Readonly<Record<Operation, HandlerSlot>> = {
  read: 'read',
  list: 'list',
  create: 'write',
  update: 'write',
  delete: 'delete',
  patch: 'patch',
};

/**
 * Vault's request handling (vault/request_handling.go) for one parsed request: expire what is
 * due, validate a wrapping token, authenticate, authorize against the token's ACL, route to the
 * backend, then register the lease, wrap and encode the answer.
 */
export class VaultCore {
  constructor(private readonly services: VaultServices) {}

  handle(request: VaultRequest): HttpAnswer {
    const { tokens, leases, mounts } = this.services;
    tokens.expireDue();
    leases.expireDue();

    const resolved = mounts.resolve(request.path);
    const match = resolved && matchRoute(resolved.mount.backend.routes, resolved.relativePath);
    if (WRAPPING_TOKEN_PATHS.has(request.path)) this.services.wrapper.validate(request);

    const token = match?.route.unauthenticated
      ? tokens.find(request.clientToken)
      : this.authenticate(request.clientToken);
    try {
      const mount = resolved?.mount;
      const params = match?.params ?? {};
      const operation =
        match && mount
          ? this.resolveOperation(match, { params, token, mount, request })
          : request.operation;
      if (!match?.route.unauthenticated) {
        this.authorize(token, request.path, operation, match?.route.sudo ?? false);
      }
      if (!mount) {
        throw new VaultError(404, [
          `no handler for route ${JSON.stringify(request.path)}. route entry not found.`,
        ]);
      }
      if (!match) throw unsupportedPath();
      const handler = match.route.handlers[SLOT[operation]];
      if (!handler) throw unsupportedOperation();
      const context: HandlerContext = { params, token, mount, request: { ...request, operation } };
      return this.answer(context, handler(context));
    } finally {
      if (token?.tainted) tokens.revoke(token);
    }
  }

  /** `X-Vault-Token`: none is 403 permission denied; unknown, expired or revoked adds `invalid token`. */
  private authenticate(clientToken: string): TokenEntry {
    if (clientToken === '') throw permissionDenied();
    const token = this.services.tokens.find(clientToken);
    if (!token) throw invalidToken();
    return token;
  }

  /**
   * Spends one use of a limited-use token (even when the ACL then refuses, as Vault does), then
   * checks the capability the operation needs, plus `sudo` on root-protected paths. The root
   * policy allows everything.
   */
  private authorize(
    token: TokenEntry | undefined,
    path: string,
    operation: Operation,
    sudo: boolean,
  ): void {
    if (!token) throw permissionDenied();
    this.services.tokens.use(token);
    if (token.policies.includes('root')) return;
    const needed: Capability[] = sudo ? [operation, 'sudo'] : [operation];
    if (!this.services.policies.acl(token.policies).allows(path, needed)) throw permissionDenied();
  }

  /** POST/PUT is `create` when the route's existence check says the target is missing. */
  private resolveOperation(match: RouteMatch, context: HandlerContext): Operation {
    const { operation } = context.request;
    if (operation !== 'update' || !match.route.exists) return operation;
    return match.route.exists(context) ? 'update' : 'create';
  }

  private answer(context: HandlerContext, response: LogicalResponse | undefined): HttpAnswer {
    const { request, mount } = context;
    if (request.operation === 'list' && isEmptyListing(response)) throw notFound();
    if (!response) return { status: 204 };
    if (response.rawBody !== undefined)
      return { status: response.statusCode ?? 200, body: response.rawBody };

    const lease =
      response.lease ??
      (response.secret && context.token
        ? this.services.leases.register(request.path, context.token.id, mount, response.secret)
        : undefined);
    const body = encodeGoJson(
      envelope({
        requestId: request.id,
        leaseId: lease?.id ?? '',
        renewable: lease?.renewable ?? false,
        leaseDuration: lease?.durationSeconds ?? 0,
        data: response.data ?? null,
        warnings: response.warnings && response.warnings.length > 0 ? response.warnings : null,
        auth: response.auth ? renderAuth(response.auth) : null,
        mountType: mount.type,
      }),
    );
    const status = response.statusCode ?? 200;
    if (request.wrapTtlSeconds > 0 && status === 200) {
      return {
        status,
        body: this.services.wrapper.wrap(request, body, response.auth?.token.accessor),
      };
    }
    return { status, body };
  }
}

/** A LIST answer without keys (and nothing else to say) is a 404 in Vault. */
function isEmptyListing(response: LogicalResponse | undefined): boolean {
  if (!response) return true;
  const keys = response.data?.['keys'];
  if (keys === undefined || keys === null) return !response.data && !response.warnings?.length;
  return Array.isArray(keys) && keys.length === 0;
}
