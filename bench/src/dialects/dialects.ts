import { awsDialect } from './aws-dialect.js';
import type { BenchDialect } from './bench-dialect.js';

/** Every dialect the benchmark covers; GCP and Azure are one entry each once their providers land. */
export const DIALECTS: readonly BenchDialect[] = [awsDialect];
