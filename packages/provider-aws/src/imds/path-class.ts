/**
 * IMDS paths grouped for metrics: a fixed set of labels, whatever a client asks for.
 * `credentials` is a role's credential document (the one path that reaches Vault).
 */
export function imdsPathClass(path: string): string {
  if (/^\/[^/]+\/api\/token\/?$/.test(path)) return 'token';
  if (/\/meta-data\/iam\/security-credentials\/[^/]+\/?$/.test(path)) return 'credentials';
  if (/^\/[^/]+\/dynamic(\/|$)/.test(path)) return 'dynamic';
  if (/^\/[^/]+\/user-data\/?$/.test(path)) return 'user-data';
  if (/^\/[^/]+\/meta-data(\/|$)/.test(path)) return 'meta-data';
  return 'other';
}
