import type { RawResponse, RequestSpec } from './http-exchange.js';

/**
 * What one simulated client does per iteration, e.g. IMDSv2's PUT of a token then the GET of the
 * credential with it. A step sees the previous step's response of the same iteration.
 */
export interface ScenarioStep {
  readonly request: (previous: RawResponse | undefined) => RequestSpec;
}

export type Scenario = readonly ScenarioStep[];
