import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock.js';
import { listenOnLoopback } from '../../net/listen.js';
import type { FakeAwsAccount } from '../fake-aws-account.js';
import { headerValue, parseAuthorization, type ReceivedRequest } from './sigv4-request.js';
import { callerIdentityAnswer, errorAnswer, StsError, type StsAnswer } from './sts-xml.js';
import { hasValidSignature } from './verify-signature.js';

export interface FakeStsOptions {
  /** Whose keys are valid. */
  readonly account: FakeAwsAccount;
  /** Default '127.0.0.1'; only loopback addresses are accepted. */
  readonly host?: string;
  /** Default 0 (ephemeral). */
  readonly port?: number;
  /** Decides when temporary credentials have expired (default: the account's clock). */
  readonly now?: Clock;
  /** The region reported in `region` (signatures of any region are accepted). Default us-east-1. */
  readonly region?: string;
}

export interface FakeSts {
  readonly url: string;
  readonly region: string;
  stop(): Promise<void>;
}

const VERSION = '2011-06-15';

/**
 * A fake AWS STS speaking the awsQuery protocol that the AWS SDK for JavaScript v3, botocore and
 * the AWS CLI use for STS: `Action=GetCallerIdentity&Version=2011-06-15` as a form POST or in the
 * query string of a GET, SigV4-signed (credential scope service `sts`, any region), answered in
 * STS's XML with its errors.
 */
export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const now = options.now ?? options.account.now;
  const region = options.region ?? 'us-east-1';
  const server = await listenOnLoopback(
    (request, response) => {
      void handle(options.account, now, request)
        .catch((error: unknown) => {
          if (error instanceof StsError) return errorAnswer(error);
          throw error;
        })
        .then((answer) => send(response, answer))
        .catch((error: unknown) => {
          response.destroy();
          process.emitWarning(`fake STS: ${String(error)}`);
        });
    },
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0, service: 'fake STS' },
  );
  return { url: server.url, region, stop: () => server.close() };
}

function send(response: ServerResponse, answer: StsAnswer): void {
  response.writeHead(answer.status, {
    'Content-Type': 'text/xml',
    'Content-Length': String(Buffer.byteLength(answer.body)),
    'x-amzn-RequestId': answer.requestId,
  });
  response.end(answer.body);
}

async function handle(
  account: FakeAwsAccount,
  now: Clock,
  message: IncomingMessage,
): Promise<StsAnswer> {
  const request = await receive(message);
  const params = new URLSearchParams(request.query);
  const contentType = headerValue(request.headers, 'content-type') ?? '';
  if (request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
    new URLSearchParams(request.body).forEach((value, key) => params.set(key, value));
  }

  const authorization = parseAuthorization(request.headers);
  if (authorization.service !== 'sts') {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      "Credential should be scoped to correct service: 'sts'. ",
    );
  }
  const credential = account.findAccessKey(authorization.accessKeyId);
  const sessionToken = headerValue(request.headers, 'x-amz-security-token');
  // Unknown keys, temporary keys without their session token (or long-term keys with one), and
  // keys too new to have propagated are all "invalid" to AWS.
  if (
    !credential ||
    sessionToken !== credential.sessionToken ||
    // A new IAM user key AWS has not propagated yet is just as unknown (§10 #1).
    (credential.usableFromMs !== undefined && now() < credential.usableFromMs)
  ) {
    throw new StsError(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  }
  if (credential.expiresAtMs !== undefined && now() >= credential.expiresAtMs) {
    throw new StsError(
      403,
      'ExpiredToken',
      'The security token included in the request is expired',
    );
  }
  if (!(await hasValidSignature(request, authorization, credential))) {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }

  const action = params.get('Action');
  if (action === null) throw new StsError(400, 'MissingAction', 'Missing Action');
  if (action !== 'GetCallerIdentity' || (params.get('Version') ?? VERSION) !== VERSION) {
    throw new StsError(
      400,
      'InvalidAction',
      `Could not find operation ${action} for version ${params.get('Version') ?? VERSION}`,
    );
  }
  return callerIdentityAnswer(credential);
}

async function receive(message: IncomingMessage): Promise<ReceivedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const url = new URL(message.url ?? '/', 'http://sts');
  return {
    method: message.method ?? 'GET',
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: message.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}
