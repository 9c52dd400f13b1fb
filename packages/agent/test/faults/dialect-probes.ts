import http from 'node:http';
import { DEMO_ROLE } from '../../src/dev/seed-vault.js';
import type { Dialect } from '../support/seeded-agent.js';

/** A credential as a client reads it off the agent's answer. */
export interface SeenCredential {
  /** What tells one credential from the next (the key id or the token itself). */
  readonly id: string;
  /** Epoch ms, in whole seconds as the dialect states it. */
  readonly expiresAt: number;
  /** The secret parts, which must never show up anywhere else. */
  readonly secrets: readonly string[];
}

export interface ProbeAnswer {
  readonly status: number;
  readonly body: string;
  /** Present on a 200. */
  readonly credential?: SeenCredential;
}

/** How a client of one dialect asks the agent for a credential, and what it gets. */
export interface DialectProbe {
  /** What is asked for, for messages. */
  readonly name: string;
  readonly dialect: Dialect;
  /**
   * The status the dialect's clients retry when no credential is fit to serve: 503 for IMDS
   * (botocore and the JS SDK retry it) and GCE (gaxios and google-auth retry 5xx), 500 for Azure
   * IMDS (every Azure client retries 5xx, and 429 only with Retry-After: azure-imds.md §0.8, §3).
   */
  readonly unavailableStatus: number;
  /**
   * The least lifetime a credential served during an outage has: the broker's outage margin
   * (1 min), or GCE's 5 min, below which its clients count a token as expired (provider-gcp
   * `GCE_MIN_REMAINING_MS`); minus a second, dialects state expiry in whole seconds.
   */
  readonly outageMarginMs: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The credential in a 200 body; `now` (epoch ms) for dialects that state a lifetime. */
  read(body: string, now: number): SeenCredential;
}

export const DIALECT_PROBES: readonly DialectProbe[] = [
  {
    name: 'AWS role credentials',
    dialect: 'aws',
    unavailableStatus: 503,
    outageMarginMs: 59_000,
    path: `/latest/meta-data/iam/security-credentials/${DEMO_ROLE}`,
    headers: {},
    read: (text) => {
      const body = json(text);
      return {
        id: String(body['AccessKeyId']),
        expiresAt: Date.parse(String(body['Expiration'])),
        secrets: [String(body['SecretAccessKey']), String(body['Token'])],
      };
    },
  },
  {
    name: 'GCE access token',
    dialect: 'gcp',
    unavailableStatus: 503,
    outageMarginMs: 5 * 60_000,
    path: '/computeMetadata/v1/instance/service-accounts/default/token',
    headers: { 'Metadata-Flavor': 'Google' },
    read: (text, now) => {
      const body = json(text);
      return {
        id: String(body['access_token']),
        expiresAt: Math.floor(now / 1000) * 1000 + Number(body['expires_in']) * 1000,
        secrets: [String(body['access_token'])],
      };
    },
  },
  {
    name: 'GCE identity token (from a Vault-issued service-account key)',
    dialect: 'gcp',
    unavailableStatus: 503,
    outageMarginMs: 59_000,
    path: `/computeMetadata/v1/instance/service-accounts/default/identity?audience=${encodeURIComponent('https://guise.example/faults')}`,
    headers: { 'Metadata-Flavor': 'Google' },
    read: (token) => {
      const [, payload = ''] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number };
      return { id: token, expiresAt: claims.exp * 1000, secrets: [token] };
    },
  },
  {
    name: 'Azure managed-identity token',
    dialect: 'azure',
    unavailableStatus: 500,
    outageMarginMs: 59_000,
    path: `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent('https://management.azure.com/')}`,
    headers: { Metadata: 'true' },
    read: (text) => {
      const body = json(text);
      return {
        id: String(body['access_token']),
        expiresAt: Number(body['expires_on']) * 1000,
        secrets: [String(body['access_token'])],
      };
    },
  },
];

/** The dialects the probes ask, for an agent that must serve them all. */
export const PROBED_DIALECTS: readonly Dialect[] = [
  ...new Set(DIALECT_PROBES.map((p) => p.dialect)),
];

function json(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Asks like the dialect's clients, over one kept-alive connection (a fetch per ask would cost
 * several times more, and the fault scenario asks thousands of times).
 */
export class Prober {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  constructor(private readonly baseUrl: string) {}

  /** `now` is read when the answer arrives (the dialects that state a lifetime count from then). */
  ask(probe: DialectProbe, now: () => number): Promise<ProbeAnswer> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${this.baseUrl}${probe.path}`,
        { agent: this.agent, headers: probe.headers },
        (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            resolve(
              status === 200
                ? {
                    status,
                    body,
                    credential: probe.read(body, now()),
                  }
                : { status, body },
            );
          });
        },
      );
      request.on('error', reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
