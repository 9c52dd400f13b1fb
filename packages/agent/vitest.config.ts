import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/agent',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts'],
    // These tests start processes (guise, the AWS CLI, Python clients) and load the clouds' SDKs
    // for the first time: on a busy two-core machine that alone has taken over 5 s, vitest's default.
    testTimeout: 20_000,
  },
});
