import { installLoopbackGuard } from '../src/index.js';

installLoopbackGuard();
