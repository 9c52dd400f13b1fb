import { awsDialect } from './aws-dialect.js';
import { azureDialect } from './azure-dialect.js';
import type { BenchDialect } from './bench-dialect.js';
import { gcpDialect } from './gcp-dialect.js';

/** Every dialect the benchmark covers. */
export const DIALECTS: readonly BenchDialect[] = [awsDialect, gcpDialect, azureDialect];
