import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/provider-azure',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts', './test/loopback-guard.setup.ts'],
  },
});
