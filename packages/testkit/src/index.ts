// @guise/testkit: a Vault-API-compatible in-memory server, a fake AWS STS, fake Google APIs, a
// fake Azure (Entra, ARM) and a stand-in for VMware Tools' guestinfo command line, which speak
// only wire protocols (or a tool's command-line contract), for tests, benchmarks and `guise dev`.
export { startFakeVault } from './vault/fake-vault.js';
export type { FakeVault, FakeVaultOptions } from './vault/fake-vault.js';
export type { VaultFaults } from './vault/faults.js';
export { provisionAppRole } from './vault/provision.js';
export type { AppRoleCredentials, AppRoleProvision } from './vault/provision.js';
export type { RequestRecord } from './vault/http/vault-http-listener.js';
export type { SessionTokenField } from './vault/engines/aws/aws-backend.js';
export { FakeAwsAccount, AwsApiError } from './aws/fake-aws-account.js';
export type { FakeAwsCredential } from './aws/fake-aws-account.js';
export { startFakeSts } from './aws/sts/fake-sts.js';
export type { FakeSts, FakeStsOptions } from './aws/sts/fake-sts.js';
export { installLoopbackGuard, LoopbackGuardError } from './net/loopback-guard.js';
export type { LoopbackGuardOptions } from './net/loopback-guard.js';
export { HttpCallsInFlight } from './net/http-calls-in-flight.js';
export { waitForQuiet } from './net/wait-for-quiet.js';
export { FakeGcpProject, GOOGLE_TOKEN_URL } from './gcp/fake-gcp-project.js';
export type {
  FakeAccessToken,
  FakeServiceAccountKey,
  IdTokenClaims,
} from './gcp/fake-gcp-project.js';
export { startFakeGoogleApis } from './gcp/google/fake-google-apis.js';
export type { FakeGoogleApis, FakeGoogleApisOptions } from './gcp/google/fake-google-apis.js';
export { FakeAzureTenant } from './azure/fake-azure-tenant.js';
export type { FakeServicePrincipal } from './azure/fake-azure-tenant.js';
export { startFakeAzure } from './azure/fake-azure.js';
export type { FakeAzure, FakeAzureOptions, FakeAzureRequest } from './azure/fake-azure.js';
export type { AccessTokenClaims } from './azure/entra/token-signer.js';
export { createFakeGuestInfo } from './vsphere/fake-guestinfo.js';
export type { FakeGuestInfo, FakeGuestInfoOptions } from './vsphere/fake-guestinfo.js';
