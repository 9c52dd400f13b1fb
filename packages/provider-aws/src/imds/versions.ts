/**
 * The API versions `GET /` lists on EC2 (reference/aws-imds.md §1.8), `latest` last. Every one of
 * them serves the same, current tree: cloud-init crawls `2009-04-04` and then probes `2021-03-23`,
 * `2018-09-24` and `2016-09-02` by fetching `<version>/meta-data/instance-id` (§3.3), and
 * `ec2-metadata --path` accepts any of them, so each must answer. Hiding categories newer than the
 * requested version would buy nothing a client relies on.
 */
export const API_VERSIONS: readonly string[] = [
  '1.0',
  '2007-01-19',
  '2007-03-01',
  '2007-08-29',
  '2007-10-10',
  '2007-12-15',
  '2008-02-01',
  '2008-09-01',
  '2009-04-04',
  '2011-01-01',
  '2011-05-01',
  '2012-01-12',
  '2014-02-25',
  '2014-11-05',
  '2015-10-20',
  '2016-04-19',
  '2016-06-30',
  '2016-09-02',
  '2018-03-28',
  '2018-08-17',
  '2018-09-24',
  '2019-10-01',
  '2020-10-27',
  '2021-01-03',
  '2021-03-23',
  'latest',
];

/**
 * Whether a first path segment belongs to IMDS: a listed version, or anything shaped like one
 * (`2030-01-01`), which IMDS answers with its own 404. Other paths (`/computeMetadata`,
 * `/metadata`) are left to the other dialects sharing the listener.
 */
export function isVersionShaped(segment: string): boolean {
  return segment === 'latest' || /^(?:\d+\.\d+|\d{4}-\d{2}-\d{2})$/.test(segment);
}
