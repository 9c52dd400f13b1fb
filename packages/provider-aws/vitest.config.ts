import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/provider-aws',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts'],
  },
});
