import type { CredentialSource } from '@guise/core';
import type { InjectionToken } from 'tsyringe';
import type { GcpAccessToken, IdToken, IdTokenRequest } from '../gcp-credentials.js';

/**
 * What the VM says about itself. Every field is optional: defaults derive from InstanceFacts
 * (see `instance-config.ts`), so an agent with no configuration still serves a complete tree.
 */
export interface GceInstanceConfig {
  /** Decimal digits, may exceed 2^53. Default: 19 digits derived from facts.machineId. */
  id?: string;
  /** Default facts.hostname. */
  name?: string;
  /** Default `<name>.<zone>.c.<project-id>.internal`, GCE's zonal DNS name. */
  hostname?: string;
  /** A zone name (`europe-west1-b`); served as `projects/<number>/zones/<zone>`. Default `us-central1-a`. */
  zone?: string;
  /** A machine type name; served as `projects/<number>/machineTypes/<type>`. Default `e2-medium`. */
  machineType?: string;
  cpuPlatform?: string;
  description?: string;
  image?: string;
  /** Network tags (`instance/tags`, JSON by default). */
  tags?: string[];
  /** Custom metadata (`instance/attributes/`). Default facts.attributes. */
  attributes?: Record<string, string>;
  /** `network-interfaces/0/ip` and `mac`; default facts.ipv4 / facts.mac. */
  networkIp?: string;
  mac?: string;
}

export interface GceProjectConfig {
  projectId: string;
  /** Decimal digits (`numeric-project-id`); gcloud decides "on GCE" by `isdigit()` on it. */
  numericProjectId: string;
  attributes?: Record<string, string>;
}

/** Access tokens for a scope set other than the account's default one. */
export interface ScopedTokenSource {
  scopes: string[];
  source: CredentialSource<GcpAccessToken>;
}

/** The VM's service account: GCE attaches one, served as `default/` and under its email. */
export interface GceServiceAccount {
  email: string;
  /** Listed in `scopes` and the recursive view; google-auth 1.5.1 requires the key. */
  scopes: string[];
  /** Tokens for requests without `scopes`, or whose scopes no `scopedTokens` entry covers. */
  token: CredentialSource<GcpAccessToken>;
  /** Checked in order: the first whose scopes include every requested scope serves the token. */
  scopedTokens?: ScopedTokenSource[];
  /** Absent: `identity` answers 404 and is not listed. */
  identity?: CredentialSource<IdToken, IdTokenRequest>;
}

export interface GceMetadataOptions {
  project: GceProjectConfig;
  instance?: GceInstanceConfig;
  serviceAccount: GceServiceAccount;
  /** `universe/universe-domain`; default `googleapis.com`. */
  universeDomain?: string;
  /** Requests that may hang in `wait_for_change` at once; more get 503. Default 500. */
  maxHangingGets?: number;
}

export const GCE_METADATA_OPTIONS: InjectionToken<GceMetadataOptions> = Symbol(
  'guise.gcp.MetadataOptions',
);
