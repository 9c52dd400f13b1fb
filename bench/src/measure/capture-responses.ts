import type { RawResponse } from '../load/http-exchange.js';
import type { BenchCase } from '../dialects/bench-dialect.js';
import type { CapturedResponse } from '../servers/replay-table.js';
import { oneRequest } from './one-request.js';

/** Headers every server writes itself; everything else is replayed as guise sent it. */
const OWN_HEADERS = new Set(['date', 'content-length']);

/**
 * Runs each case's scenario once against guise and keeps what it answered, so that the baselines
 * answer exactly the same status, headers and body to the same requests.
 */
export async function captureResponses(
  port: number,
  cases: readonly BenchCase[],
): Promise<CapturedResponse[]> {
  const captured: CapturedResponse[] = [];
  for (const benchCase of cases) {
    let previous: RawResponse | undefined;
    for (const step of benchCase.scenario) {
      const spec = step.request(previous);
      previous = await oneRequest(port, spec);
      if (previous.status !== 200)
        throw new Error(`${benchCase.name}: guise answered ${previous.status} to ${spec.path}`);
      captured.push({
        method: spec.method,
        path: spec.path,
        status: previous.status,
        headers: Object.fromEntries(
          previous.rawHeaders.filter(([name]) => !OWN_HEADERS.has(name.toLowerCase())),
        ),
        bodyBase64: previous.body.toString('base64'),
      });
    }
  }
  return captured;
}
