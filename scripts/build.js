#!/usr/bin/env node
// Compiles the server into dist/ (`npm run build`), and tells whether dist/ is older than its sources, so that
// `npm start` and the magnetiq command build only when they must. Plain JavaScript: it runs before anything is
// compiled, without tsx. The compiler runs in a child process, so the server never loads TypeScript.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const SRC = path.join(ROOT, 'src');
/** Written last, with the time the build started: dist/ is complete and reflects the sources up to then. */
const STAMP = path.join(DIST, '.built');
/** What dist/ is made from besides src/. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.js'].map((f) => path.join(ROOT, f));
/** Files the server reads at run time, copied beside the compiled code that reads them. */
const ASSETS = ['platform/db/migrations'];

class BuildError extends Error {}
/** No compiler (an installation without devDependencies): an existing dist/ can still run. */
class NoCompiler extends BuildError {}

/** The newest modification time under src/ (directories too: a deleted file changes its directory). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    newest = Math.max(newest, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  visit(SRC);
  for (const file of INPUTS) newest = Math.max(newest, statSync(file).mtimeMs);
  return newest;
}

/** Why dist/ must be built, or null when it is up to date. */
export function staleReason() {
  if (!existsSync(STAMP)) return 'dist/ is missing';
  if (!existsSync(SRC)) return null; // an installation of dist/ alone
  return newestSource() > statSync(STAMP).mtimeMs ? 'the sources changed' : null;
}

/**
 * Compiles src/ into a fresh directory beside dist/ and swaps it in, so that a process starting meanwhile never
 * sees half a build, and two builds at once both end with a complete dist/.
 */
export function build() {
  const started = new Date();
  const next = path.join(ROOT, `.dist-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    throw new NoCompiler('cannot build dist/: the TypeScript compiler is not installed (run npm install)');
  }
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', next],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  try {
    if (run.status !== 0)
      throw new BuildError(`cannot build dist/: tsc failed (${run.status ?? run.signal})`);
    for (const asset of ASSETS) cpSync(path.join(SRC, asset), path.join(next, asset), { recursive: true });
    writeFileSync(path.join(next, '.built'), '');
    utimesSync(path.join(next, '.built'), started, started);
    const old = path.join(ROOT, `.dist-old-${process.pid}`);
    try {
      renameSync(DIST, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(next, DIST);
    } catch (error) {
      // Another build finished first and its dist/ is as fresh as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}

/**
 * Builds when dist/ is missing or older than the sources; says so on stderr (stdout belongs to the program).
 * Without a compiler, an existing dist/ is used as it is.
 */
export function ensureBuilt() {
  const reason = staleReason();
  if (!reason) return;
  process.stderr.write(`magnetiq: compiling the server into dist/ (${reason})\n`);
  try {
    build();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    if (!(error instanceof NoCompiler) || !existsSync(STAMP)) {
      process.stderr.write(`magnetiq: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`magnetiq: ${error.message}; running the existing dist/\n`);
  }
}

// `node scripts/build.js [--if-stale]`: builds (with --if-stale only when dist/ is missing or stale).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && !staleReason()) process.exit(0);
  try {
    build();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    process.stderr.write(`magnetiq: ${error.message}\n`);
    process.exit(1);
  }
}
