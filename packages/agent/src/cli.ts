#!/usr/bin/env node
import { runCli } from './cli/program.js';

// Exit explicitly: keep-alive sockets of HTTP clients must not hold a stopped agent open.
process.exit(await runCli(process.argv));
