// Reads, with plain HTTP as `curl` would, the values every client's output is compared with: what
// the metadata endpoint in this namespace actually served, not what we expect it to serve.
import { URL } from 'node:url';

const TIMEOUT_MS = 2_000;

/** @param {string} metadataUrl */
export async function readImds(metadataUrl) {
  const request = (method, path, headers = {}) =>
    fetch(new URL(path, metadataUrl), {
      method,
      headers,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  const tokenResponse = await request('PUT', '/latest/api/token', {
    'X-aws-ec2-metadata-token-ttl-seconds': '300',
  });
  const token = await tokenResponse.text();
  const get = async (path) => {
    const response = await request('GET', `/latest/meta-data/${path}`, {
      'X-aws-ec2-metadata-token': token,
    });
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.text();
  };

  const roles = await get('iam/security-credentials/');
  const role = roles.split('\n')[0];
  // What a client that never asks for a token gets: 200 when IMDSv2 is optional, 401 when required.
  const tokenlessStatus = (await request('GET', '/latest/meta-data/instance-id')).status;
  return {
    tokenStatus: tokenResponse.status,
    tokenlessStatus,
    instanceId: await get('instance-id'),
    availabilityZone: await get('placement/availability-zone'),
    region: await get('placement/region'),
    localIpv4: await get('local-ipv4'),
    roles,
    credentials: pickPublic(JSON.parse(await get(`iam/security-credentials/${role}`))),
  };
}

/** Keeps the secret key and session token out of test output; the access key identifies them. */
function pickPublic({ Code, Type, AccessKeyId, Expiration }) {
  return { Code, Type, AccessKeyId, Expiration };
}
