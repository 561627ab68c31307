#!/usr/bin/env node
// Runs after every `npm ci` / `npm install` (the package's postinstall): makes sure the three dependencies with
// native code work on this machine, whatever npm's policy on dependencies' install scripts (npm 11 may skip
// them). A prebuilt binary is not enough: argon2's linux-x64 prebuild crashes (SIGSEGV) on some machines, where
// only the build from source its install script makes works. So each package is used once in a child process
// (a crash cannot take this script down); one that fails is rebuilt with its install script run explicitly
// (`npm rebuild <name> --foreground-scripts`) and tried again. Exits 1, naming the package, if it still fails.
import { execFileSync, spawnSync } from 'node:child_process';
import process from 'node:process';

/** Each package, and a use of it that needs its native part (loading alone may be lazy). */
const PROBES = {
  argon2: `const a = require('argon2');
    a.hash('check', { timeCost: 2, memoryCost: 1024 }).then((h) => a.verify(h, 'check'))
      .then((ok) => process.exit(ok ? 0 : 1));`,
  sharp: `require('sharp')({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer()
      .then(() => process.exit(0));`,
  esbuild: `const { code } = require('esbuild').transformSync('let a: number = 1', { loader: 'ts' });
    process.exit(code.includes('let a = 1') ? 0 : 1);`,
};

/** Undefined when the package works, else what went wrong. */
function problemOf(name) {
  const run = spawnSync(process.execPath, ['-e', PROBES[name]], { encoding: 'utf8', timeout: 60_000 });
  if (run.status === 0) return undefined;
  const why = run.signal ? `killed by ${run.signal}` : `exit ${String(run.status)}`;
  return `${why}${run.stderr ? `: ${run.stderr.trim().split('\n')[0]}` : ''}`;
}

/** Whether the package is installed at all (esbuild is a devDependency, absent after `npm ci --omit=dev`). */
function installed(name) {
  const run = spawnSync(process.execPath, [
    '-e',
    `require.resolve(${JSON.stringify(`${name}/package.json`)})`,
  ]);
  return run.status === 0;
}

let failed = false;
const present = Object.keys(PROBES).filter(installed);
for (const name of present) {
  let problem = problemOf(name);
  if (problem) {
    process.stdout.write(`native: ${name} does not work (${problem}); running its install script\n`);
    try {
      execFileSync('npm', ['rebuild', name, '--foreground-scripts'], { stdio: 'inherit' });
    } catch {
      // reported below if it still does not work
    }
    problem = problemOf(name);
  }
  if (problem) {
    process.stderr.write(`native: ${name} does not work on this machine (${problem})\n`);
    failed = true;
  }
}
if (failed) process.exit(1);
process.stdout.write(`native: ${present.join(', ')} work\n`);
