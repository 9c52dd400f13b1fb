/**
 * What the bad-input fuzz needs to know about one metadata dialect: where its paths start, which
 * headers matter to it, and which 5xx statuses the real service itself sends (anything else from
 * the 5xx range is a bug). Adding GCP or Azure is one entry in `FUZZ_DIALECTS`.
 */
export interface FuzzDialect {
  readonly name: string;
  /** Path stems the generator mutates; real ones, so mutations reach deep into the router. */
  readonly paths: (role: string) => readonly string[];
  /** Headers the dialect reads, each with interesting values (valid, invalid, hostile). */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** 5xx statuses the real service sends (IMDS: 503 while no credential is available). */
  readonly allowed5xx: ReadonlySet<number>;
}

const awsImds: FuzzDialect = {
  name: 'aws',
  paths: (role) => [
    '/',
    '/latest',
    '/latest/',
    '/latest/api/token',
    '/2021-03-23/api/token',
    '/latest/meta-data/',
    '/latest/meta-data/iam/security-credentials/',
    `/latest/meta-data/iam/security-credentials/${role}`,
    '/latest/meta-data/iam/info',
    '/latest/meta-data/placement/availability-zone',
    '/latest/dynamic/instance-identity/document',
    '/latest/user-data',
    '/2009-04-04/meta-data/',
  ],
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
  allowed5xx: new Set([503]),
};

export const FUZZ_DIALECTS: readonly FuzzDialect[] = [awsImds];
