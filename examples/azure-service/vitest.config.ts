import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/example-azure-service',
    include: ['test/**/*.test.ts'],
    // The repository's loopback guard: no SDK call of these tests can leave the machine.
    setupFiles: ['../../vitest.setup.ts'],
  },
});
