// Loaded before every test file of the packages that depend on the testkit (see each package's
// vitest.config.ts; the testkit's own tests install the guard from its sources instead).
// tsyringe needs the Reflect metadata polyfill before any decorated class is defined.
import 'reflect-metadata';
import { installLoopbackGuard } from '@guise/testkit';

// Every in-process connection may reach loopback only: an SDK that falls back to 169.254.169.254
// or to a cloud's public endpoint fails at once instead of sending a packet off the machine.
// (Child processes are confined by the network namespaces the tests and .ci/run create.)
installLoopbackGuard();
