import type { Clock, CredentialBroker, RunningServer } from '@guise/core';
import { listen } from '@guise/core';
import Router from '@koa/router';
import Koa from 'koa';
import type { AgentMetrics } from './agent-metrics.js';

/**
 * `/metrics` (Prometheus text), `/healthz` (the process answers) and `/readyz` (at least one
 * credential source has a credential clients are still given, i.e. clients can be served) on a
 * listener apart from the metadata endpoint, so scrapes and probes never share its address or
 * its guards.
 */
export async function startMetricsServer(
  metrics: AgentMetrics,
  broker: CredentialBroker,
  clock: Clock,
  address: { host: string; port: number },
): Promise<RunningServer> {
  // Named routes off the request path: @koa/router, with 405 and `Allow` for the other methods.
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  router.get('/healthz', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = 'ok\n';
  });
  router.get('/readyz', (ctx) => {
    const now = clock.now();
    const usable = broker.snapshot().filter((s) => s.usableUntil > now);
    ctx.type = 'text/plain';
    ctx.status = usable.length > 0 ? 200 : 503;
    ctx.body =
      usable.length > 0
        ? `ready: ${usable.map((s) => s.label).join(', ')}\n`
        : 'not ready: no credential source has a usable credential yet\n';
  });
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use((ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    return next();
  });
  app.use(router.allowedMethods());
  app.use(router.routes());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Not Found\n';
  });
  return listen(app, address.host, address.port);
}
