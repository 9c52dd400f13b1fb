import type { RawResponse, RequestSpec } from '../load/http-exchange.js';
import { RawConnection, requestBytes } from '../load/http-exchange.js';

/** Sends one request on a fresh connection to a loopback server and reads the answer. */
export async function oneRequest(port: number, spec: RequestSpec): Promise<RawResponse> {
  const connection = await RawConnection.open(port, '127.0.0.1');
  try {
    return await connection.exchange(requestBytes(spec, `127.0.0.1:${port}`, false));
  } finally {
    connection.destroy();
  }
}
