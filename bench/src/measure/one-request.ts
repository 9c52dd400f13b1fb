import type { RawResponse, RequestSpec } from '../load/http-exchange.js';
import { RawConnection, requestBytes } from '../load/http-exchange.js';

/**
 * Sends one request on a fresh connection to a loopback server and reads the answer. `keepAlive`
 * asks the server to keep the connection (to see whether it closes anyway); it is closed after
 * the answer either way.
 */
export async function oneRequest(
  port: number,
  spec: RequestSpec,
  keepAlive = false,
): Promise<RawResponse> {
  const connection = await RawConnection.open(port, '127.0.0.1');
  try {
    return await connection.exchange(requestBytes(spec, `127.0.0.1:${port}`, keepAlive));
  } finally {
    connection.destroy();
  }
}
