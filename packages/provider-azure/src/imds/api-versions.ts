/**
 * Every IMDS api-version, oldest first as `/metadata/versions` lists them (reference/azure-imds.md
 * §1.2). A request with any other version, or none, gets the 400 that carries `newest-versions`.
 */
export const API_VERSIONS: readonly string[] = [
  '2017-03-01',
  '2017-04-02',
  '2017-08-01',
  '2017-10-01',
  '2017-12-01',
  '2018-02-01',
  '2018-04-02',
  '2018-10-01',
  '2019-02-01',
  '2019-03-11',
  '2019-04-30',
  '2019-06-01',
  '2019-06-04',
  '2019-08-01',
  '2019-08-15',
  '2019-11-01',
  '2020-06-01',
  '2020-07-15',
  '2020-09-01',
  '2020-10-01',
  '2020-12-01',
  '2021-01-01',
  '2021-02-01',
  '2021-03-01',
  '2021-05-01',
  '2021-08-01',
  '2021-10-01',
  '2021-11-01',
  '2021-11-15',
  '2021-12-13',
  '2023-07-01',
  '2023-11-15',
  '2024-03-15',
  '2024-07-17',
  '2025-04-07',
];

/** The three newest, newest first: MSAL's region discovery retries with `newest-versions[0]`. */
export const NEWEST_VERSIONS: readonly string[] = API_VERSIONS.slice(-3).reverse();

/** `/metadata/instance` exists from 2017-04-02 (§1.2 table). */
export const INSTANCE_SINCE = '2017-04-02';

/** The identity category exists from 2018-02-01 (§1.2 table); MIDOC: "2018-02-01 or greater". */
export const IDENTITY_SINCE = '2018-02-01';

const SUPPORTED = new Set(API_VERSIONS);

export function isSupportedVersion(version: string): boolean {
  return SUPPORTED.has(version);
}

/** Versions are ISO dates, so they order as strings. */
export function isAtLeast(version: string, since: string): boolean {
  return version >= since;
}
