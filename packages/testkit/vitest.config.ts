import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/testkit',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts'],
  },
});
