import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  collectFacts,
  CredentialBroker,
  DEFAULT_FRESHNESS,
  fromStatic,
  silentLogger,
  systemClock,
} from '@guise/core';
import { AwsImdsProvider } from '@guise/provider-aws';
import Koa from 'koa';
import { afterAll, beforeAll, expect, it } from 'vitest';

// A service with a Koa app of its own that also answers as AWS IMDS: the dialect is plain Koa
// middleware, built here by hand (no container needed) from a broker and a credential source.
const broker = new CredentialBroker(systemClock, DEFAULT_FRESHNESS, silentLogger);
let server: http.Server;
let url: string;

beforeAll(async () => {
  const imds = new AwsImdsProvider(
    {
      tokens: 'optional',
      role: {
        name: 'app',
        source: fromStatic('static:app', { accessKeyId: 'AKIAMOUNTED', secretAccessKey: 's' }),
      },
      instance: { region: 'eu-north-1' },
    },
    broker,
    await collectFacts([]),
    systemClock,
    silentLogger,
  );
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') ctx.body = 'ok';
    else await next();
  });
  app.use(imds.middleware());
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await broker.shutdown();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('serves the IMDS tree beside its own routes', async () => {
  expect(await (await fetch(`${url}/health`)).text()).toBe('ok');
  expect(await (await fetch(`${url}/latest/meta-data/placement/region`)).text()).toBe('eu-north-1');
  const credentials = await fetch(`${url}/latest/meta-data/iam/security-credentials/app`);
  expect(((await credentials.json()) as { AccessKeyId: string }).AccessKeyId).toBe('AKIAMOUNTED');
});
