#!/usr/bin/env node
// The `guise` command as npm links it. npm links a package's bin when it installs the package,
// which in a fresh checkout is before the first build has made dist/: a bin pointing at
// dist/cli.js itself would not be linked at all, and `npx guise` would find nothing to run.
import('../dist/cli.js').catch((error) => {
  const unbuilt =
    error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js');
  if (!unbuilt) throw error;
  console.error(
    'guise is not built yet: run `npm run build` (or `npm start`) in the checkout first',
  );
  process.exit(1);
});
