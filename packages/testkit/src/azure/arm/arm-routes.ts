import type { AzureRequest, JsonAnswer } from '../entra/entra-routes.js';
import type { TokenSigner } from '../entra/token-signer.js';
import type { FakeAzureTenant } from '../fake-azure-tenant.js';

/**
 * The one ARM call `az login --identity` makes after getting its token:
 * `GET /subscriptions?api-version=2019-11-01` (reference/azure-imds.md §3.2). The bearer token
 * must be one the fake Entra signed, unexpired, for this tenant, so a passing `az login` proves
 * the token the agent served is genuine. Undefined for paths that are not ARM's.
 */
export function answerArm(
  request: AzureRequest,
  tenant: FakeAzureTenant,
  signer: TokenSigner,
): JsonAnswer | undefined {
  if (request.method !== 'GET' || request.path.replace(/\/+$/, '') !== '/subscriptions')
    return undefined;
  const header = request.headers['authorization'];
  const token = typeof header === 'string' ? header.replace(/^Bearer /i, '') : '';
  const claims = signer.verify(token);
  if (!claims || claims.tid !== tenant.tenantId || claims.exp * 1000 <= tenant.now()) {
    return {
      status: 401,
      body: {
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'The access token is invalid.',
        },
      },
    };
  }
  return {
    status: 200,
    body: {
      value: [
        {
          id: `/subscriptions/${tenant.subscriptionId}`,
          authorizationSource: 'RoleBased',
          managedByTenants: [],
          subscriptionId: tenant.subscriptionId,
          tenantId: tenant.tenantId,
          displayName: 'guise test subscription',
          state: 'Enabled',
          subscriptionPolicies: {
            locationPlacementId: 'Public_2014-09-01',
            quotaId: 'PayAsYouGo_2014-09-01',
            spendingLimit: 'Off',
          },
        },
      ],
      count: { type: 'Total', value: 1 },
    },
  };
}
