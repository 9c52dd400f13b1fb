/**
 * GCE metadata paths grouped for metrics: a fixed set of labels, whatever a client asks for.
 * `token` and `identity` are the service account endpoints (the paths that reach credentials);
 * `metadata` is the rest of the v1 tree, `other` the listings, legacy versions and typos.
 */
export function gcePathClass(path: string): string {
  const v1 = /^\/computeMetadata\/v1(\/.*)?$/.exec(path);
  if (!v1) return 'other';
  const below = v1[1] ?? '';
  if (/^\/instance\/service-accounts\/[^/]+\/token\/?$/.test(below)) return 'token';
  if (/^\/instance\/service-accounts\/[^/]+\/identity\/?$/.test(below)) return 'identity';
  return 'metadata';
}
