import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock.js';
import { listenOnLoopback } from '../../net/listen.js';
import { type FakeGcpProject, GOOGLE_TOKEN_URL } from '../fake-gcp-project.js';
import { decodeJwt, hasValidRs256Signature } from '../jws.js';

export interface FakeGoogleApisOptions {
  readonly project: FakeGcpProject;
  /** Default '127.0.0.1'; only loopback addresses are accepted. */
  readonly host?: string;
  readonly port?: number;
  /**
   * The clock a JWT-bearer grant's `iat`/`exp` are checked against: the one its signer used.
   * Default the project's; a test moving the project's clock while google-auth-library signs
   * grants on the real one passes `Date.now`. Token lifetimes always follow the project's clock.
   */
  readonly now?: Clock;
}

export interface FakeGoogleApis {
  readonly url: string;
  /** Where google-auth-library's JWT-bearer grants go instead of oauth2.googleapis.com/token. */
  readonly tokenUrl: string;
  stop(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts grants whose `iat`/`exp` lie within an hour (and a little skew). */
const MAX_ASSERTION_SECONDS = 3600;
const SKEW_SECONDS = 300;

/**
 * The Google endpoints a service-account key needs, on loopback:
 * - `POST /token`: OAuth 2.0 JWT-bearer grants signed with a key the project issued (`kid`,
 *   `iss` = the key's account, `aud` = Google's token URL): with `scope` an access token
 *   (`{access_token, expires_in, token_type}`), with `target_audience` an ID token (`{id_token}`);
 *   OAuth errors `{error, error_description}` otherwise.
 * - `GET /oauth2/v3/tokeninfo?access_token=…`: the check a Google API does on a bearer token.
 * - `POST /v1/projects/-/serviceAccounts/{email}:generateIdToken` (IAM Credentials): with a bearer
 *   access token of that account carrying the cloud-platform scope, `{"token": <ID token>}`;
 * - `GET /oauth2/v3/certs` (JWKS) and `/oauth2/v1/certs` (PEM): what verifies the ID tokens.
 */
export async function startFakeGoogleApis(options: FakeGoogleApisOptions): Promise<FakeGoogleApis> {
  const { project } = options;
  const now = options.now ?? project.now;
  const server = await listenOnLoopback(
    (request, response) => {
      void answer(request, project, now)
        .then((result) => send(response, result))
        .catch((error: unknown) => {
          response.destroy();
          process.emitWarning(`fake Google APIs: ${String(error)}`);
        });
    },
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0, service: 'fake Google APIs' },
  );
  return { url: server.url, tokenUrl: `${server.url}/token`, stop: () => server.close() };
}

function send(response: ServerResponse, { status, body }: Answer): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

const oauthError = (error: string, description: string, status = 400): Answer => ({
  status,
  body: { error, error_description: description },
});

async function answer(
  request: IncomingMessage,
  project: FakeGcpProject,
  now: Clock,
): Promise<Answer> {
  const url = new URL(request.url ?? '/', 'http://google');
  const body = await readBody(request);
  if (request.method === 'POST' && url.pathname === '/token') {
    return tokenGrant(new URLSearchParams(body), project, now);
  }
  if (request.method === 'GET' && url.pathname === '/oauth2/v3/tokeninfo') {
    const token = project.findAccessToken(url.searchParams.get('access_token') ?? '');
    if (!token) return oauthError('invalid_token', 'Invalid Value');
    const expiresIn = Math.floor((token.expiresAtMs - project.now()) / 1000);
    return {
      status: 200,
      body: {
        azp: project.uniqueIdOf(token.email),
        aud: project.uniqueIdOf(token.email),
        scope: token.scopes.join(' '),
        exp: String(Math.floor(token.expiresAtMs / 1000)),
        expires_in: String(expiresIn),
        email: token.email,
        email_verified: 'true',
        access_type: 'online',
      },
    };
  }
  const idTokenFor = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateIdToken$/.exec(
    url.pathname,
  );
  if (request.method === 'POST' && idTokenFor) {
    return generateIdToken(
      decodeURIComponent(idTokenFor[1] ?? ''),
      request.headers.authorization ?? '',
      body,
      project,
    );
  }
  if (request.method === 'GET' && url.pathname === '/oauth2/v3/certs') {
    return { status: 200, body: project.jwks() };
  }
  if (request.method === 'GET' && url.pathname === '/oauth2/v1/certs') {
    return { status: 200, body: project.pemCerts() };
  }
  return { status: 404, body: { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } } };
}

function tokenGrant(form: URLSearchParams, project: FakeGcpProject, now: Clock): Answer {
  if (form.get('grant_type') !== JWT_BEARER) {
    return oauthError(
      'unsupported_grant_type',
      'Invalid grant_type: ' + (form.get('grant_type') ?? ''),
    );
  }
  const jwt = decodeJwt(form.get('assertion') ?? '');
  if (!jwt) return oauthError('invalid_request', 'Invalid JWT: Token must be a short-lived token');
  // Google finds the key by `kid`, or, without one (google-auth-library's fetchIdToken sends
  // none), tries every live key of the account the assertion claims to come from.
  const { iss } = jwt.claims;
  const kid = jwt.header['kid'];
  const candidates =
    typeof kid === 'string'
      ? [project.findKey(kid)].flatMap((key) => (key && key.email === iss ? [key.publicKey] : []))
      : project.keysOf(String(iss));
  if (!candidates.some((publicKey) => hasValidRs256Signature(jwt, publicKey))) {
    return oauthError('invalid_grant', 'Invalid JWT Signature.');
  }
  const email = String(iss);
  const { aud, iat, exp, scope, target_audience: targetAudience } = jwt.claims;
  const seconds = Math.floor(now() / 1000);
  if (aud !== GOOGLE_TOKEN_URL) return oauthError('invalid_grant', 'Invalid JWT audience.');
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp <= iat ||
    exp - iat > MAX_ASSERTION_SECONDS ||
    iat > seconds + SKEW_SECONDS ||
    exp < seconds - SKEW_SECONDS
  ) {
    return oauthError(
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  if (typeof targetAudience === 'string' && targetAudience !== '') {
    return { status: 200, body: { id_token: project.signIdToken(email, targetAudience) } };
  }
  if (typeof scope !== 'string' || scope.trim() === '') {
    return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }
  const token = project.issueAccessToken(email, scope.trim().split(/\s+/));
  return {
    status: 200,
    body: {
      access_token: token.token,
      expires_in: Math.floor((token.expiresAtMs - project.now()) / 1000),
      token_type: 'Bearer',
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/** Google's JSON error envelope (`{error: {code, message, status}}`) of the IAM APIs. */
const apiError = (code: number, status: string, message: string): Answer => ({
  status: code,
  body: { error: { code, message, status } },
});

/**
 * IAM Credentials `generateIdToken` (reference gcp-metadata.md §4.3). The fake lets an account
 * mint ID tokens for itself only (in GCP that takes `iam.serviceAccounts.getOpenIdToken` on it).
 */
function generateIdToken(
  email: string,
  authorization: string,
  body: string,
  project: FakeGcpProject,
): Answer {
  const bearer = /^Bearer (.+)$/i.exec(authorization)?.[1] ?? '';
  const caller = project.findAccessToken(bearer);
  if (!caller) {
    return apiError(
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    );
  }
  if (caller.email !== email || !caller.scopes.includes(CLOUD_PLATFORM)) {
    return apiError(
      403,
      'PERMISSION_DENIED',
      "Permission 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may not exist).",
    );
  }
  let audience: unknown;
  try {
    audience = (JSON.parse(body) as { audience?: unknown }).audience;
  } catch {
    return apiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  }
  if (typeof audience !== 'string' || audience === '') {
    return apiError(400, 'INVALID_ARGUMENT', 'Audience is required.');
  }
  return { status: 200, body: { token: project.signIdToken(email, audience) } };
}
