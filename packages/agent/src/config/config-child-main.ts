import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import type { ConfigAnswer, ConfigRequest } from './load-config-in-child.js';

// The process `loadConfigInChild` forks: loads the one config it is sent, answers, and exits once
// the answer is out (disconnecting is what lets it exit).
process.once('message', (request: ConfigRequest) => {
  void loadConfig(request.file, request)
    .then(
      (config): ConfigAnswer => ({ config }),
      (error: unknown): ConfigAnswer =>
        error instanceof ConfigError ? { problems: error.problems } : { failure: error },
    )
    .then((answer) => process.send?.(answer, () => process.disconnect()));
});
