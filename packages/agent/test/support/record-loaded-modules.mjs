// Preloaded with `node --import` by module-footprint.test.ts: writes the URL of every module the
// process loads to the file named by RECORD_MODULES_TO, one a line. ES modules (and CommonJS ones
// they import) pass the load hook, which Node 20 runs on a thread of its own, hence the file;
// CommonJS modules required by CommonJS modules bypass ES hooks and are read from require.cache
// when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.RECORD_MODULES_TO;
if (!out) throw new Error('record-loaded-modules.mjs needs RECORD_MODULES_TO');
register('./record-loaded-modules-hooks.mjs', import.meta.url, { data: { out } });
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const required = Object.keys(require.cache).map((file) => pathToFileURL(file).href);
  appendFileSync(out, required.map((url) => `${url}\n`).join(''));
});
