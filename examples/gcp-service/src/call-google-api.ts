import { GoogleAuth } from 'google-auth-library';

/**
 * The service's one job: GET a Google API as the machine's service account. It takes Application
 * Default Credentials, as production code does; on a VM with guise (or in a test with guise's
 * emulator) they come from the metadata server. `url` is where a test puts its stand-in API.
 */
export async function callGoogleApi(url: string): Promise<unknown> {
  const client = await new GoogleAuth().getClient();
  const response = await client.request({ url });
  return response.data;
}
