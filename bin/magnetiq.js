#!/usr/bin/env node
// The magnetiq command. Runs the TypeScript sources through tsx's loader (a runtime dependency).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
