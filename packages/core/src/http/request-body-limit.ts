import type { RequestListener } from 'node:http';

/**
 * No dialect reads a request body (AWS's token PUT included), so a body is never buffered; what
 * remains to bound is how long one can hold a connection. Node drains an unread body to reuse
 * the connection, for as long as the client sends it: so a request that has a body gets its
 * connection closed as soon as it is answered, and one that announces more than `maxBodyBytes`
 * is answered 413 at once, before any dialect sees it. Requests without a body (every client's)
 * pass untouched, at the cost of two header lookups.
 */
export function limitRequestBodies(
  handler: RequestListener,
  maxBodyBytes: number,
): RequestListener {
  return (req, res) => {
    const length = req.headers['content-length'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return handler(req, res);
    res.shouldKeepAlive = false;
    // Node has checked the header already: it is one non-negative decimal number here.
    if (Number(length) > maxBodyBytes) {
      res.writeHead(413, { 'Content-Type': 'text/plain' });
      res.end('Payload Too Large\n');
      return;
    }
    handler(req, res);
  };
}
