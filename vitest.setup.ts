// Loaded before every test file of every package (see each package's vitest.config.ts).
// tsyringe needs the Reflect metadata polyfill before any decorated class is defined.
import 'reflect-metadata';
