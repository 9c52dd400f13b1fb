import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import type { ConfigAnswer, ConfigRequest } from './load-config-in-child.js';

// The process `loadConfigInChild` forks: loads the one config it is sent, answers, and exits once
// the answer is out (disconnecting is what lets it exit).

// A stop meant for the agent reaches its whole process group (Ctrl-C in a terminal, systemd's
// default KillMode=control-group): the agent decides what it means, and this process, which
// holds nothing, ends by itself moments later. Dying on it would turn a clean stop into a failure.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
process.once('message', (request: ConfigRequest) => {
  void loadConfig(request.file, request)
    .then(
      (config): ConfigAnswer => ({ config }),
      (error: unknown): ConfigAnswer =>
        error instanceof ConfigError ? { problems: error.problems } : { failure: error },
    )
    .then((answer) => process.send?.(answer, () => process.disconnect()));
});
