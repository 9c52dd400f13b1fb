/**
 * What the bad-input fuzz needs to know about one metadata dialect: where its paths start, which
 * query parameters and headers it reads, and the headers without which it answers nothing but a
 * refusal. The fuzz runs against a healthy agent with its credentials cached, where no real
 * service answers a 5xx (their 5xx mean maintenance or a credential that cannot be had), so every
 * 5xx is a finding and no dialect lists any.
 */
export interface FuzzDialect {
  readonly name: string;
  /** The side listener the dialect is served on (`RunningAgent.sideUrls`); absent: the metadata address. */
  readonly sideListener?: string;
  /** Path stems the generator mutates; real ones, so mutations reach deep into the router. */
  readonly paths: readonly string[];
  /**
   * Query parameters (`name=value`, already encoded) the generator adds to a stem, each a value
   * the dialect reads: valid, invalid, hostile. None may make a request hang: a GCE
   * `wait_for_change` always comes with a timeout the fuzz can afford.
   */
  readonly query: readonly string[];
  /** Headers the dialect requires, each with its valid value: sent (valid) in most requests. */
  readonly required: Readonly<Record<string, string>>;
  /** Headers the dialect reads, each with interesting values (valid, invalid, hostile). */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** A request every healthy agent answers 200 with a credential, and the JSON key that holds it. */
  readonly credential: { readonly path: string; readonly key: string };
}

/** What the seeded agent serves, named in the dialects' paths and headers. */
export interface FuzzTarget {
  readonly awsRole: string;
  readonly gcpEmail: string;
  /** The client id of the seeded user-assigned managed identity. */
  readonly azureClientId: string;
  readonly appServiceSecret: string;
}

/** Values that break parsers and comparisons, for any header or parameter. */
const HOSTILE = ['', '%00', '%zz', '..%2F..', '%C3%A9%E2%80%AE', 'x'.repeat(5_000)];

function awsImds({ awsRole }: FuzzTarget): FuzzDialect {
  return {
    name: 'aws',
    paths: [
      '/',
      '/latest',
      '/latest/',
      '/latest/api/token',
      '/2021-03-23/api/token',
      '/latest/meta-data/',
      '/latest/meta-data/iam/security-credentials/',
      `/latest/meta-data/iam/security-credentials/${awsRole}`,
      '/latest/meta-data/iam/info',
      '/latest/meta-data/placement/availability-zone',
      '/latest/meta-data/tags/instance/',
      '/latest/dynamic/instance-identity/document',
      '/latest/user-data',
      '/2009-04-04/meta-data/',
    ],
    query: ['a=b', ...HOSTILE.map((value) => `x=${value}`)],
    required: {},
    headers: {
      'X-aws-ec2-metadata-token-ttl-seconds': [
        '21600',
        '0',
        '-1',
        '21601',
        '1e3',
        '+5',
        '',
        'abc',
        '9'.repeat(40),
      ],
      'X-aws-ec2-metadata-token': ['', 'x', 'A'.repeat(54) + '==', 'A'.repeat(4000), '%00'],
      'X-Forwarded-For': ['10.0.0.1', ''],
    },
    credential: { path: `/latest/meta-data/iam/security-credentials/${awsRole}`, key: 'Token' },
  };
}

function gceMetadata({ gcpEmail }: FuzzTarget): FuzzDialect {
  const v1 = '/computeMetadata/v1';
  const account = `${v1}/instance/service-accounts`;
  return {
    name: 'gcp',
    paths: [
      '/',
      '/0.1/meta-data/',
      '/computeMetadata',
      '/computeMetadata/',
      '/computeMetadata/v1beta1/',
      v1,
      `${v1}/`,
      `${v1}/instance/`,
      `${v1}/instance/id`,
      `${v1}/instance/zone`,
      `${v1}/instance/tags`,
      `${v1}/instance/attributes/`,
      `${v1}/instance/disks/0/device-name`,
      `${v1}/instance/network-interfaces/0/access-configs/0/external-ip`,
      `${v1}/instance/maintenance-event`,
      `${v1}/project/project-id`,
      `${v1}/project/numeric-project-id`,
      `${v1}/universe/universe-domain`,
      `${account}/`,
      `${account}/default/`,
      `${account}/default/email`,
      `${account}/default/token`,
      `${account}/${gcpEmail}/token`,
      `${account}/default/identity`,
      `${account}/${gcpEmail}/identity`,
    ],
    query: [
      'recursive=true',
      'recursive=xyz',
      'alt=json',
      'alt=text',
      'alt=xml',
      // Timeouts of 0 s keep the fuzz fast; `last_etag=NONE` answers at once (the ETag differs).
      'wait_for_change=true&timeout_sec=0',
      'wait_for_change=true&timeout_sec=1',
      'wait_for_change=true&last_etag=NONE',
      'wait_for_change=true&timeout_sec=-1',
      'wait_for_change=true&timeout_sec=99999999999',
      'last_etag=abc&timeout_sec=5&foo=blah',
      'scopes=https://www.googleapis.com/auth/cloud-platform',
      'scopes=a,b,,c',
      'audience=https://example.com',
      'audience=',
      'format=full&audience=https://example.com/?a=b',
      'format=standard&licenses=TRUE',
      ...HOSTILE.map((value) => `audience=${value}`),
      ...HOSTILE.map((value) => `scopes=${value}`),
    ],
    required: { 'Metadata-Flavor': 'Google' },
    headers: {
      'Metadata-Flavor': ['Google', 'google', 'Not Google', '', 'Google, Google'],
      'X-Forwarded-For': ['10.0.0.1', ''],
      'X-Google-Metadata-Request': ['True'],
    },
    credential: { path: `${account}/default/token`, key: 'access_token' },
  };
}

const AZURE_RESOURCES = [
  'https://management.azure.com/',
  'https://vault.azure.net',
  'https%3A%2F%2Fstorage.azure.com%2F',
  'api%3A%2F%2Fa%20b',
  'a+b',
  ...HOSTILE,
];

/** Parameters both Azure token dialects read, as `name=value` pairs. */
function azureTokenQuery(selectors: readonly string[], azureClientId: string): string[] {
  return [
    ...AZURE_RESOURCES.map((resource) => `resource=${resource}`),
    ...selectors.flatMap((selector) =>
      [azureClientId, azureClientId.toUpperCase(), '00000000-0000-0000-0000-000000000000', '']
        .concat(HOSTILE)
        .map((value) => `${selector}=${value}`),
    ),
    'bypass_cache=true',
  ];
}

function azureImds({ azureClientId }: FuzzTarget): FuzzDialect {
  const token = '/metadata/identity/oauth2/token?api-version=2018-02-01';
  return {
    name: 'azure',
    paths: [
      '/metadata',
      '/metadata/',
      '/metadata/versions',
      '/metadata/instance?api-version=2021-02-01',
      '/metadata/instance/compute?api-version=2021-02-01',
      '/metadata/instance/compute/location?api-version=2021-02-01&format=text',
      '/metadata/instance/network/interface/0/ipv4/ipAddress/0/privateIpAddress?api-version=2017-04-02&format=text',
      '/METADATA/Instance?api-version=2017-04-02',
      // Without a resource too: the generator adds one of its own (the first of a name wins).
      token,
      `${token}&resource=https://management.azure.com/`,
      `${token}&resource=https://vault.azure.net&client_id=${azureClientId}`,
      '/metadata/identity/oauth2/token?api-version=2025-04-07&resource=https://storage.azure.com/',
      '/metadata/identity/info?api-version=2018-02-01',
      '/metadata/attested/document?api-version=2020-09-01',
      '/metadata/scheduledevents?api-version=2020-07-01',
    ],
    query: [
      'api-version=2018-02-01',
      'api-version=2017-03-01',
      'api-version=2099-01-01',
      'format=json',
      'format=text',
      'format=xml',
      ...azureTokenQuery(['client_id', 'object_id', 'msi_res_id'], azureClientId),
      ...HOSTILE.map((value) => `api-version=${value}`),
    ],
    required: { Metadata: 'true' },
    headers: {
      Metadata: ['true', 'True', 'false', '', '1'],
      'X-Forwarded-For': ['10.0.0.1', ''],
    },
    credential: { path: `${token}&resource=https://management.azure.com/`, key: 'access_token' },
  };
}

function azureAppService({ azureClientId, appServiceSecret }: FuzzTarget): FuzzDialect {
  const token = '/msi/token?api-version=2019-08-01';
  return {
    name: 'azure-app-service',
    sideListener: 'azure-app-service',
    paths: [
      '/',
      '/msi/token',
      token,
      `${token}&resource=https://management.azure.com/`,
      `${token}&resource=https://vault.azure.net&client_id=${azureClientId}`,
      '/MSI/TOKEN?api-version=2025-01-01&resource=https://storage.azure.com/',
    ],
    query: [
      'api-version=2019-08-01',
      'api-version=2017-09-01',
      'api-version=2019-8-1',
      ...azureTokenQuery(['client_id', 'principal_id', 'object_id', 'mi_res_id'], azureClientId),
    ],
    required: { 'X-IDENTITY-HEADER': appServiceSecret },
    headers: {
      'X-IDENTITY-HEADER': [appServiceSecret, appServiceSecret.slice(1), '', ...HOSTILE],
      'X-Forwarded-For': ['10.0.0.1', ''],
      Metadata: ['true'],
    },
    credential: { path: `${token}&resource=https://management.azure.com/`, key: 'access_token' },
  };
}

/** Every dialect the agent serves; the agent under fuzz serves them all at once, as deployed. */
export function fuzzDialects(target: FuzzTarget): readonly FuzzDialect[] {
  return [awsImds(target), gceMetadata(target), azureImds(target), azureAppService(target)];
}
