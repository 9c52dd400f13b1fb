import http from 'node:http';
import type { Context, Next } from 'koa';
import { container as rootContainer } from 'tsyringe';
import type {
  Clock,
  CredentialSource,
  InstanceFacts,
  Issued,
  Logger,
  MetadataProvider,
  RunningServer,
} from '@guise/core';
import {
  CredentialBroker,
  DEFAULT_FRESHNESS,
  ManualClock,
  TOKENS,
  createMetadataApp,
  listen,
  silentLogger,
  registerCoreServices,
} from '@guise/core';
import type {
  AwsCredentials,
  AwsImdsOptions,
  AwsInstanceConfig,
  ImdsTokenMode,
} from '../src/index.js';
import { registerAwsImds } from '../src/index.js';

export const FACTS: InstanceFacts = {
  hostname: 'build-07',
  fqdn: 'build-07.lab.example',
  ipv4: '10.1.2.3',
  mac: '0a:1b:2c:3d:4e:5f',
  machineId: '0123456789abcdef0123456789abcdef',
  tags: { env: 'ci', team: 'platform' },
  attributes: {},
};

export const ROLE = 'app-role';

export const CREDENTIALS: AwsCredentials = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=',
};

/** A source that issues `value` for `ttlSeconds` on `clock` and counts its calls. */
export function countingSource(
  clock: Clock,
  value: AwsCredentials = CREDENTIALS,
  ttlSeconds = 3600,
): CredentialSource<AwsCredentials> & { calls: number; failWith?: Error } {
  const source = {
    id: 'test-aws',
    calls: 0,
    failWith: undefined as Error | undefined,
    async issue(): Promise<Issued<AwsCredentials>> {
      source.calls += 1;
      if (source.failWith) throw source.failWith;
      const issuedAt = clock.now();
      return { value, issuedAt, expiresAt: issuedAt + ttlSeconds * 1000 };
    },
  };
  return source;
}

export interface Harness {
  readonly url: string;
  readonly port: number;
  readonly clock: ManualClock;
  readonly provider: MetadataProvider;
  readonly broker: CredentialBroker;
  /** Every request that reached the listener: method, path, whether it carried a token. */
  readonly seen: Array<{ method: string; path: string; token: boolean }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  tokens: ImdsTokenMode;
  clock?: ManualClock;
  source?: CredentialSource<AwsCredentials>;
  instance?: AwsInstanceConfig;
  facts?: InstanceFacts;
  logger?: Logger;
}

/**
 * The provider as the agent composes it: a tsyringe container with core's broker, wired by
 * `registerAwsImds`, mounted on core's metadata app and listening on 127.0.0.1:ephemeral.
 */
export async function startImds(options: HarnessOptions): Promise<Harness> {
  const clock = options.clock ?? new ManualClock();
  const container = rootContainer.createChildContainer();
  registerCoreServices(container, {
    clock,
    logger: options.logger ?? silentLogger,
    freshness: DEFAULT_FRESHNESS,
    facts: options.facts ?? FACTS,
  });
  const imdsOptions: AwsImdsOptions = {
    tokens: options.tokens,
    role: { name: ROLE, source: options.source ?? countingSource(clock) },
    instance: options.instance,
  };
  registerAwsImds(container, imdsOptions);
  const [provider] = container.resolveAll(TOKENS.MetadataProvider);
  if (!provider) throw new Error('registerAwsImds registered no provider');
  const seen: Harness['seen'] = [];
  const recorder: MetadataProvider = {
    name: 'recorder',
    middleware: () => async (ctx: Context, next: Next) => {
      seen.push({
        method: ctx.method,
        path: ctx.path,
        token: ctx.get('x-aws-ec2-metadata-token') !== '',
      });
      await next();
    },
  };
  const server: RunningServer = await listen(
    createMetadataApp({ providers: [recorder, provider], logger: silentLogger }),
    '127.0.0.1',
    0,
  );
  const broker = container.resolve(CredentialBroker);
  return {
    url: server.url,
    port: server.port,
    clock,
    provider,
    broker,
    seen,
    async close() {
      await broker.shutdown();
      await server.close();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  /** Header names exactly as sent, in order, with their values. */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header names → value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly text: string;
}

/** One request over a fresh connection, path sent byte for byte (`//` and all). */
export function request(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const rawHeaders: Array<readonly [string, string]> = [];
          const flat: Record<string, string> = {};
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i] ?? '';
            const value = res.rawHeaders[i + 1] ?? '';
            rawHeaders.push([name, value]);
            flat[name.toLowerCase()] = value;
          }
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            rawHeaders,
            headers: flat,
            body,
            text: body.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** `PUT /latest/api/token` with the TTL header; returns the token. */
export async function fetchToken(port: number, ttlSeconds = 21600): Promise<string> {
  const res = await request(port, 'PUT', '/latest/api/token', {
    'X-aws-ec2-metadata-token-ttl-seconds': String(ttlSeconds),
  });
  if (res.status !== 200) throw new Error(`token PUT answered ${res.status}`);
  return res.text;
}
