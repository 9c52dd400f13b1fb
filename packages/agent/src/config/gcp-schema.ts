import { z } from 'zod';
import { durationSeconds, exactlyOneOf, httpUrl, nonEmpty, section } from './schema-parts.js';

/** GCE's default scope set for a VM with a service account ("Allow full access to all Cloud APIs"). */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

const scopeList = z.array(z.url({ error: 'expected OAuth scope URLs' })).min(1);

/**
 * Where access tokens come from in Vault's GCP engine (vault-api.md §4): the token endpoint of a
 * roleset, static account or impersonated account, or — with `fromKey: true` — a roleset's or
 * static account's service-account key, exchanged for tokens by google-auth-library.
 */
const tokenVault = section({
  mount: nonEmpty.default('gcp'),
  roleset: nonEmpty.optional(),
  staticAccount: nonEmpty.optional(),
  impersonatedAccount: nonEmpty.optional(),
  fromKey: z.boolean().default(false),
  /** Lease TTL asked for with `fromKey` (default: the engine's). */
  keyTtl: durationSeconds.optional(),
})
  .superRefine(exactlyOneOf(['roleset', 'staticAccount', 'impersonatedAccount']))
  .superRefine((value, ctx) => {
    if (value.fromKey && value.impersonatedAccount !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fromKey'],
        message: 'impersonated accounts issue no keys; use roleset or staticAccount',
      });
    }
  });

/** ID tokens are made from a service-account key (roleset or static account with key secrets). */
const identityVault = section({
  mount: nonEmpty.default('gcp'),
  roleset: nonEmpty.optional(),
  staticAccount: nonEmpty.optional(),
  keyTtl: durationSeconds.optional(),
}).superRefine(exactlyOneOf(['roleset', 'staticAccount']));

const digitString = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((value) => /^\d+$/.test(value), 'expected decimal digits');

export const gcpSection = section({
  project: section({
    id: nonEmpty,
    /** `numeric-project-id`; gcloud decides it is on GCE when this is all digits. */
    number: digitString,
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  serviceAccount: section({
    email: z.email(),
    scopes: scopeList.default([CLOUD_PLATFORM_SCOPE]),
    token: section({ vault: tokenVault }),
    /** Tokens for other scope sets: the first set covering a request's `scopes` serves it. */
    scopedTokens: z.array(section({ scopes: scopeList, vault: tokenVault })).optional(),
    /**
     * ID tokens: from a Vault-issued key (`vault`), or from IAM Credentials `generateIdToken`
     * called with the account's default access token (`iamCredentials: true`).
     */
    identity: section({
      vault: identityVault.optional(),
      iamCredentials: z.literal(true).optional(),
    })
      .superRefine(exactlyOneOf(['vault', 'iamCredentials']))
      .optional(),
  }),
  /** Google's OAuth token endpoint, for keys; default https://oauth2.googleapis.com/token. */
  googleTokenUrl: httpUrl.optional(),
  /** IAM Credentials, for `identity.iamCredentials`; default https://iamcredentials.googleapis.com. */
  iamCredentialsUrl: httpUrl.optional(),
  universeDomain: nonEmpty.optional(),
  maxHangingGets: z.number().int().positive().optional(),
  instance: section({
    id: digitString.optional(),
    name: nonEmpty.optional(),
    hostname: nonEmpty.optional(),
    zone: nonEmpty.optional(),
    machineType: nonEmpty.optional(),
    cpuPlatform: nonEmpty.optional(),
    description: z.string().optional(),
    image: nonEmpty.optional(),
    tags: z.array(nonEmpty).optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    networkIp: z.ipv4().optional(),
    mac: z.mac().optional(),
  }).optional(),
});
