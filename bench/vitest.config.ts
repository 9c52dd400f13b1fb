import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/bench',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../vitest.setup.ts'],
  },
});
