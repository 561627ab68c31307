#!/usr/bin/env node
// `npm start`: compiles the server when dist/ is missing or stale, then runs it in this very process, so the
// server is one node process that loads neither tsx nor the TypeScript compiler.
import { ensureBuilt } from './build.js';

ensureBuilt();
await import('../dist/main.js');
