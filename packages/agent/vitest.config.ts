import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/agent',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts'],
  },
});
