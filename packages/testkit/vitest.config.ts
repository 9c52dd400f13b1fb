import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@guise/testkit',
    include: ['test/**/*.test.ts'],
    // The loopback guard is installed before every test file: nothing here may leave 127.0.0.1.
    setupFiles: ['./test/setup.ts'],
  },
});
