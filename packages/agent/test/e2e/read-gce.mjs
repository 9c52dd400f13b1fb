// Reads, with plain HTTP as `curl` would, the GCE values every client's output is compared with:
// what the metadata server in this namespace actually served, not what we expect it to serve.
import { URL } from 'node:url';

const TIMEOUT_MS = 2_000;

/** @param {string} metadataUrl */
export async function readGce(metadataUrl) {
  const get = async (path, headers = { 'Metadata-Flavor': 'Google' }) => {
    const response = await fetch(new URL(`/computeMetadata/v1/${path}`, metadataUrl), {
      headers,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return {
      status: response.status,
      flavor: response.headers.get('metadata-flavor'),
      text: await response.text(),
    };
  };
  const token = await get('instance/service-accounts/default/token');
  const { access_token: accessToken, expires_in: expiresIn } = JSON.parse(token.text);
  return {
    tokenStatus: token.status,
    flavorlessStatus: (await get('project/project-id', {})).status,
    flavor: token.flavor,
    projectId: (await get('project/project-id')).text,
    numericProjectId: (await get('project/numeric-project-id')).text,
    email: (await get('instance/service-accounts/default/email')).text,
    zone: (await get('instance/zone')).text,
    accessToken,
    expiresIn,
  };
}
