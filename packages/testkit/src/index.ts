// @guise/testkit: a Vault-API-compatible in-memory server, a fake AWS STS and a stand-in for
// VMware Tools' guestinfo command line, which speak only wire protocols (or a tool's command-line
// contract), for tests, benchmarks and `guise dev`.
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
export { createFakeGuestInfo } from './vsphere/fake-guestinfo.js';
export type { FakeGuestInfo, FakeGuestInfoOptions } from './vsphere/fake-guestinfo.js';
