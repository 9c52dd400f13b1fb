import { ManagedIdentityCredential } from '@azure/identity';
import type { AzureAccessToken } from '@guise/provider-azure';
import { accessTokenOf } from '@guise/provider-azure';
import { JsonLogger } from '@guise/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { startEmulator } from '../src/index.js';

// @azure/identity's ManagedIdentityCredential against an emulator's Azure IMDS, sent there by
// `imds.env()` alone. Variables that would pick another managed-identity flavour are unset.
const OTHER_FLAVOURS = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IMDS_ENDPOINT',
  'AZURE_CLIENT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
];

// One emulator for the file: with a second emulator (another port) in the same process,
// ManagedIdentityCredential timed out, so @azure/identity keeps some managed-identity state across
// credentials.
const resources: string[] = [];
let imds: RunningEmulator;
beforeAll(async () => {
  imds = await startEmulator({
    azure: {
      tenantId: TENANT,
      identities: [
        {
          name: 'system',
          systemAssigned: true,
          tokens: (resource) => {
            resources.push(resource);
            return entraToken(resource, 'system-client');
          },
        },
        { name: 'user', systemAssigned: false, clientId: 'user-client', tokens: FIXED },
      ],
    },
  });
  for (const name of OTHER_FLAVOURS) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(imds.env())) vi.stubEnv(name, value);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await imds.stop();
});

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const EXPIRES = 4_102_444_800; // 2100-01-01
const FIXED = entraToken('https://management.azure.com/', 'user-client');

/** An unsigned JWT with the claims Azure IMDS renders (`aud` tells which resource it is for). */
function entraToken(resource: string, clientId: string): AzureAccessToken {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    aud: resource,
    tid: TENANT,
    oid: `oid-${clientId}`,
    appid: clientId,
    nbf: 1_700_000_000,
    exp: EXPIRES,
  };
  return accessTokenOf(`${part({ alg: 'RS256' })}.${part(claims)}.c2ln`);
}

describe('startEmulator with azure', () => {
  it('gives ManagedIdentityCredential the token the callback produced for each resource', async () => {
    expect(imds.env()).toEqual({ AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url });
    const credential = new ManagedIdentityCredential();
    const vault = await credential.getToken('https://vault.azure.net/.default');
    expect(vault.token).toBe(entraToken('https://vault.azure.net', 'system-client').accessToken);
    // msal-node round-trips expires_on through expires_in on its own clock: a second early at most.
    expect(EXPIRES * 1000 - vault.expiresOnTimestamp).toBeOneOf([0, 1000]);
    const storage = await credential.getToken('https://storage.azure.com/.default');
    expect(storage.token).toBe(
      entraToken('https://storage.azure.com', 'system-client').accessToken,
    );
    expect(resources).toEqual(
      expect.arrayContaining(['https://vault.azure.net', 'https://storage.azure.com']),
    );
  });

  it('serves the fixed token of a user-assigned identity picked by client id', async () => {
    const token = await new ManagedIdentityCredential({ clientId: 'user-client' }).getToken(
      'https://management.azure.com/.default',
    );
    expect(token.token).toBe(FIXED.accessToken);
  });

  it('serves @azure/identity when AZURE_POD_IDENTITY_AUTHORITY_HOST ends in a slash (msal-node then asks for //metadata/…/token/)', async () => {
    vi.stubEnv('AZURE_POD_IDENTITY_AUTHORITY_HOST', `${imds.url}/`);
    try {
      const token = await new ManagedIdentityCredential({ clientId: 'user-client' }).getToken(
        'https://management.azure.com/.default',
      );
      expect(token.token).toBe(FIXED.accessToken);
    } finally {
      vi.stubEnv('AZURE_POD_IDENTITY_AUTHORITY_HOST', imds.env().AZURE_POD_IDENTITY_AUTHORITY_HOST);
    }
  });
});

describe('a token of the wrong shape (from plain JavaScript)', () => {
  it('is refused with what was expected, instead of served with expires_on "undefined"', async () => {
    const lines: string[] = [];
    const wrong = startEmulator({
      logger: new JsonLogger({ level: 'warn', write: (line) => lines.push(line) }),
      azure: {
        identities: [
          {
            name: 'app',
            systemAssigned: true,
            // @azure/identity's AccessToken shape, not guise's AzureAccessToken.
            tokens: (() => ({ token: 'eyJ0eXAi.e30.', expiresOn: new Date() })) as unknown as (
              resource: string,
            ) => AzureAccessToken,
          },
        ],
      },
    });
    const emulator = await wrong;
    try {
      const response = await fetch(
        `${emulator.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`,
        { headers: { Metadata: 'true' } },
      );
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('undefined');
      expect(lines.join('\n')).toContain(
        'callback:azure:app: expected an AzureAccessToken { accessToken, tenantId, objectId, clientId, notBeforeSeconds, expiresOnSeconds } (accessTokenOf(jwt) from @guise/provider-azure builds one), got an object with token, expiresOn',
      );
    } finally {
      await emulator.stop();
    }
  });
});
