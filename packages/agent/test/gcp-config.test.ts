import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { parseConfig } from '../src/config/load-config.js';

// The `gcp:` section: defaults, and errors that name the key (the section is strict).
const BASE = {
  vault: { address: 'https://vault.example.com:8200', auth: { token: { file: '/t' } } },
  aws: { role: { name: 'app' } },
};
const ACCOUNT = 'app@proj.iam.gserviceaccount.com';

function withGcp(gcp: unknown) {
  return { ...structuredClone(BASE), gcp };
}

function problemsOf(document: unknown): readonly string[] {
  try {
    parseConfig(document, { source: 'config.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('gcp config', () => {
  it('is optional, and fills in scopes, mount and a numeric project given as a number', () => {
    expect(parseConfig(structuredClone(BASE), { source: 'x' }).gcp).toBeUndefined();
    const { gcp } = parseConfig(
      withGcp({
        project: { id: 'proj', number: 123456789012 },
        serviceAccount: {
          email: ACCOUNT,
          token: { vault: { roleset: 'app' } },
          scopedTokens: [
            {
              scopes: ['https://www.googleapis.com/auth/devstorage.read_only'],
              vault: { staticAccount: 'storage', fromKey: true, keyTtl: '2h' },
            },
          ],
          identity: { vault: { staticAccount: 'app-key' } },
        },
        googleTokenUrl: 'http://127.0.0.1:9999/token',
      }),
      { source: 'x' },
    );
    expect(gcp).toMatchObject({
      project: { id: 'proj', number: '123456789012' },
      serviceAccount: {
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
        token: { vault: { mount: 'gcp', roleset: 'app', fromKey: false } },
        scopedTokens: [{ vault: { mount: 'gcp', staticAccount: 'storage', keyTtl: 7200 } }],
        identity: { vault: { mount: 'gcp', staticAccount: 'app-key' } },
      },
    });
  });

  it('names the key of every problem', () => {
    expect(
      problemsOf(
        withGcp({
          project: { id: 'proj', number: 'twelve' },
          serviceAccount: {
            email: 'not-an-email',
            token: { vault: { roleset: 'a', staticAccount: 'b' } },
            identity: { vault: { impersonatedAccount: 'c' } },
          },
          zone: 'us-central1-a',
        }),
      ),
    ).toEqual([
      'config.yaml: gcp.project.number: expected decimal digits',
      'config.yaml: gcp.serviceAccount.email: expected a valid email',
      'config.yaml: gcp.serviceAccount.token.vault: expected only one of roleset, staticAccount',
      'config.yaml: gcp.serviceAccount.identity.vault.impersonatedAccount: unknown key; expected one of mount, roleset, staticAccount, keyTtl',
      'config.yaml: gcp.serviceAccount.identity.vault: expected one of roleset, staticAccount',
      'config.yaml: gcp.zone: unknown key; expected one of project, serviceAccount, googleTokenUrl, iamCredentialsUrl, universeDomain, maxHangingGets, instance',
    ]);
  });

  it('takes ID tokens from IAM Credentials instead of a key, but not from both', () => {
    const gcp = (identity: unknown) =>
      withGcp({
        project: { id: 'proj', number: '1' },
        serviceAccount: { email: ACCOUNT, token: { vault: { roleset: 'app' } }, identity },
      });
    expect(
      parseConfig(gcp({ iamCredentials: true }), { source: 'x' }).gcp?.serviceAccount.identity,
    ).toEqual({ iamCredentials: true });
    expect(problemsOf(gcp({ iamCredentials: true, vault: { roleset: 'k' } }))).toEqual([
      'config.yaml: gcp.serviceAccount.identity: expected only one of vault, iamCredentials',
    ]);
  });

  it('refuses keys from an impersonated account', () => {
    expect(
      problemsOf(
        withGcp({
          project: { id: 'proj', number: '1' },
          serviceAccount: {
            email: ACCOUNT,
            token: { vault: { impersonatedAccount: 'x', fromKey: true } },
          },
        }),
      ),
    ).toEqual([
      'config.yaml: gcp.serviceAccount.token.vault.fromKey: impersonated accounts issue no keys; use roleset or staticAccount',
    ]);
  });
});
