import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo: `npm test` runs every package's suite (turbo builds first,
// because packages import each other's compiled `dist/` exactly as users do).
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'bench'],
    reporters: ['default', './scripts/plain-summary-reporter.ts'],
  },
});
