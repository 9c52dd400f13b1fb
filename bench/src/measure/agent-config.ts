import type { BackendInfo } from '../children/child-messages.js';
import type { BenchDialect } from '../dialects/bench-dialect.js';

/** The agent config document of a benchmark agent: every dialect configured, logs at `warn`. */
export function benchAgentConfig(
  backend: BackendInfo,
  dialects: readonly BenchDialect[],
  port: number,
): Record<string, unknown> {
  return Object.assign(
    {
      listen: `127.0.0.1:${port}`,
      log: { level: 'warn' },
      vault: {
        address: backend.vaultAddr,
        auth: {
          approle: {
            roleId: { value: backend.roleId },
            secretId: { value: backend.secretId, wrapped: false },
          },
        },
      },
    },
    ...dialects.map((dialect) => dialect.agentConfig(backend)),
  );
}
