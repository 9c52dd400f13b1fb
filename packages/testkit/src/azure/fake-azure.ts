import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net/listen.js';
import { answerArm } from './arm/arm-routes.js';
import { EntraError } from './entra/entra-errors.js';
import { answerEntra, type AzureRequest, type JsonAnswer } from './entra/entra-routes.js';
import type { AccessTokenClaims } from './entra/token-signer.js';
import { TokenSigner } from './entra/token-signer.js';
import { FakeAzureTenant } from './fake-azure-tenant.js';
import { generateLoopbackTls } from './loopback-tls.js';

export interface FakeAzureOptions {
  /** Whose principals are valid (default: a new tenant). Share it with `startFakeVault({ azure })`. */
  readonly tenant?: FakeAzureTenant;
  /** Default '127.0.0.1'; only loopback addresses are accepted. */
  readonly host?: string;
  /** Default 0 (ephemeral). */
  readonly port?: number;
  /** Lifetime of issued access tokens. Default 3599 s, as Entra's. */
  readonly tokenLifetimeSeconds?: number;
}

/** One request to the fake, as `FakeAzure.requests` records it. */
export interface FakeAzureRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** A token request's `client_id` (which service principal asked). */
  readonly clientId?: string;
  /** A token request's `scope` (`<resource>/.default`). */
  readonly scope?: string;
}

export interface FakeAzure {
  /** `https://127.0.0.1:<port>`: the authority host for MSAL and the ARM endpoint for az. */
  readonly url: string;
  /** The CA that signed the server certificate: trust it, nothing else. */
  readonly caPem: string;
  readonly tenant: FakeAzureTenant;
  /** The claims of a token this fake issued, or undefined (for asserting on what clients got). */
  verifyToken(token: string): AccessTokenClaims | undefined;
  /** Every request; those with a form body (token requests) also name its client and scope. */
  readonly requests: ReadonlyArray<FakeAzureRequest>;
  stop(): Promise<void>;
}

/**
 * The Azure cloud endpoints the agent and azure-cli reach, over HTTPS with a CA generated at
 * start-up: Entra's OpenID configuration, keys and client-credentials token endpoint (JWTs with
 * `tid`, `oid`, `aud`, `exp`), and ARM's subscription list. Set `tenant.propagationDelayMs` to
 * make new service principals fail with AADSTS700016 / AADSTS7000215 for a while.
 */
export async function startFakeAzure(options: FakeAzureOptions = {}): Promise<FakeAzure> {
  const tenant = options.tenant ?? new FakeAzureTenant();
  const signer = new TokenSigner();
  const tls = await generateLoopbackTls();
  const requests: FakeAzureRequest[] = [];
  let baseUrl = '';
  const settings = {
    tenant,
    signer,
    baseUrl: () => baseUrl,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
  };
  const answer = (request: AzureRequest): JsonAnswer => {
    try {
      return (
        answerEntra(request, settings) ??
        answerArm(request, tenant, signer) ?? {
          status: 404,
          body: { error: { code: 'NotFound', message: `no route for ${request.path}` } },
        }
      );
    } catch (error) {
      if (error instanceof EntraError)
        return { status: error.status, body: error.body(tenant.now()) };
      throw error;
    }
  };
  const server = await listenOnLoopback(
    (message, response) => {
      void receive(message)
        .then((request) => {
          const { status, body } = answer(request);
          const form = request.method === 'POST' ? new URLSearchParams(request.body) : undefined;
          requests.push({
            method: request.method,
            path: request.path,
            status,
            clientId: form?.get('client_id') ?? undefined,
            scope: form?.get('scope') ?? undefined,
          });
          send(response, status, body);
        })
        .catch((error: unknown) => {
          response.destroy();
          process.emitWarning(`fake Azure: ${String(error)}`);
        });
    },
    {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      service: 'fake Azure',
      tls: { cert: tls.certChainPem, key: tls.keyPem },
    },
  );
  baseUrl = server.url;
  return {
    url: server.url,
    caPem: tls.caPem,
    tenant,
    verifyToken: (token) => signer.verify(token),
    requests,
    stop: () => server.close(),
  };
}

async function receive(message: IncomingMessage): Promise<AzureRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const url = new URL(message.url ?? '/', 'https://azure');
  return {
    method: message.method ?? 'GET',
    path: url.pathname,
    headers: message.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store, no-cache',
  });
  response.end(text);
}
