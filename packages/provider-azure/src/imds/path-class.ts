/**
 * Azure IMDS paths grouped for metrics: a fixed set of labels, whatever a client asks for. IMDS
 * matches `/metadata` without regard to case (§0.10), so these do too. `token` is the managed
 * identity endpoint (the one path that reaches credentials).
 */
export function azureImdsPathClass(path: string): string {
  if (/^\/metadata\/identity\/oauth2\/token\/?$/i.test(path)) return 'token';
  if (/^\/metadata\/identity(\/|$)/i.test(path)) return 'identity';
  if (/^\/metadata\/instance(\/|$)/i.test(path)) return 'instance';
  if (/^\/metadata\/versions\/?$/i.test(path)) return 'versions';
  return 'other';
}
