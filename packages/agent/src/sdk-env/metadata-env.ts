/**
 * The environment variables that send each cloud's SDKs to a metadata endpoint at `url`
 * (`http://HOST:PORT`), shared by `guise dev` and `startEmulator` so both print the same recipe.
 */

/** AWS: the IMDS endpoint, and no profile or shared credentials file that would win over IMDS. */
export function awsMetadataEnv(url: string, region?: string): Record<string, string> {
  return {
    // botocore appends a missing slash and the JS SDK replaces the path: both accept this.
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `${url}/`,
    // Credentials in the environment or a profile come before IMDS in every SDK's chain.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    // AWS CLI v1 (botocore) reads only AWS_DEFAULT_REGION.
    ...(region === undefined ? {} : { AWS_REGION: region, AWS_DEFAULT_REGION: region }),
  };
}

/**
 * GCP (reference/gcp-metadata.md §2.5): host:port without a scheme, read by gcp-metadata (IP wins
 * over HOST), Python google-auth (HOST for data, IP for its ping) and gcloud (ROOT only); mTLS off,
 * as guise speaks plain HTTP.
 */
export function gcpMetadataEnv(url: string): Record<string, string> {
  const hostPort = new URL(url).host;
  return {
    GCE_METADATA_HOST: hostPort,
    GCE_METADATA_IP: hostPort,
    GCE_METADATA_ROOT: hostPort,
    GCE_METADATA_MTLS_MODE: 'none',
  };
}

/** Azure: @azure/identity and azure-identity take the IMDS base URL from here (azure-cli does not). */
export function azureMetadataEnv(url: string): Record<string, string> {
  return { AZURE_POD_IDENTITY_AUTHORITY_HOST: url };
}
