import type { RequestSpec } from './http-exchange.js';

/**
 * The requests one simulated client sends in turn, round after round, e.g. IMDSv2's PUT of a
 * token then the GET of the credential with it. Fixed bytes, so that every load generator sends
 * exactly the same requests.
 */
export type Scenario = readonly RequestSpec[];
