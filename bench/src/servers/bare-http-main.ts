import http from 'node:http';
import { tellParent } from '../children/child-messages.js';
import { benchPort, loadReplayTable } from './replay-table.js';

/** Baseline 1: the platform's limit — `node:http` answering guise's bytes from a map. */
const lookup = loadReplayTable();
const server = http.createServer((req, res) => {
  const entry = lookup(req.method ?? '', req.url ?? '');
  if (!entry) {
    res.writeHead(404, { 'Content-Length': '0' }).end();
    return;
  }
  res.writeHead(entry.status, { ...entry.headers, 'Content-Length': String(entry.body.length) });
  res.end(entry.body);
});
server.listen(benchPort(), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  tellParent({ type: 'listening', url: `http://127.0.0.1:${port}` });
  tellParent({ type: 'ready' });
});
process.on('SIGINT', () => process.exit(0));
