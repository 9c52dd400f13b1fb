import Koa from 'koa';
import { tellParent } from '../children/child-messages.js';
import { benchPort, loadReplayTable } from './replay-table.js';

/** Baseline 2: the ceiling of the required framework — one Koa middleware answering guise's bytes. */
const lookup = loadReplayTable();
const app = new Koa();
app.use((ctx) => {
  const entry = lookup(ctx.method, ctx.url);
  if (!entry) {
    ctx.status = 404;
    return;
  }
  ctx.status = entry.status;
  ctx.set(entry.headers);
  ctx.body = entry.body;
});
const server = app.listen(benchPort(), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  tellParent({ type: 'listening', url: `http://127.0.0.1:${port}` });
  tellParent({ type: 'ready' });
});
process.on('SIGINT', () => process.exit(0));
