#!/usr/bin/env node
// The magnetiq command: the compiled CLI, built first when dist/ is missing or older than the sources.
import { ensureBuilt } from '../scripts/build.js';

ensureBuilt();
await import('../dist/cli/main.js');
