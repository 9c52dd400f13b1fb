import type { CapturedResponse } from '../servers/replay-table.js';
import type { PreparedCase } from './measure-load.js';
import { oneRequest } from './one-request.js';

/**
 * Headers every server writes itself; everything else is replayed as guise sent it. Whether to
 * keep the connection is the server's too, except that guise's choice to close after a request
 * that asked for keep-alive (AWS IMDS always closes) is replayed as `close`.
 */
const OWN_HEADERS = new Set(['date', 'content-length', 'connection', 'keep-alive']);

/**
 * Sends each case's requests once to guise and keeps what it answered, so that the baselines
 * answer exactly the same status, headers and body to the same requests.
 */
export async function captureResponses(
  port: number,
  cases: readonly PreparedCase[],
): Promise<CapturedResponse[]> {
  const captured: CapturedResponse[] = [];
  for (const benchCase of cases) {
    for (const spec of benchCase.scenario) {
      const response = await oneRequest(port, spec, true);
      if (response.status !== 200)
        throw new Error(`${benchCase.name}: guise answered ${response.status} to ${spec.path}`);
      captured.push({
        method: spec.method,
        path: spec.path,
        status: response.status,
        close: response.headers.get('connection')?.toLowerCase() === 'close',
        headers: Object.fromEntries(
          response.rawHeaders.filter(([name]) => !OWN_HEADERS.has(name.toLowerCase())),
        ),
        bodyBase64: response.body.toString('base64'),
      });
    }
  }
  return captured;
}
