#!/usr/bin/env node
// Compiles the server into dist/ and the admin panel into dist/admin (`npm run build`), and tells whether either is
// older than its sources, so that `npm start`, the magnetiq command and the tests build only what they must. Plain JavaScript: it runs before anything is
// compiled, without tsx. The compiler runs in a child process, so the server never loads TypeScript.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
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
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const SRC = path.join(ROOT, 'src');
/** Written last, with the time the build started: dist/ is complete and reflects the sources up to then. */
const STAMP = path.join(DIST, '.built');
/** What dist/ is made from besides src/. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.js'].map((f) => path.join(ROOT, f));
/** Files the server reads at run time, copied beside the compiled code that reads them. */
const ASSETS = ['platform/db/migrations', 'site/assets'];

class BuildError extends Error {}
/** No compiler (an installation without devDependencies): an existing dist/ can still run. */
class NoCompiler extends BuildError {}

/**
 * The newest modification time under `dirs` (directories too: a deleted file changes its directory) and of
 * `files`.
 */
function newest(dirs, files) {
  let latest = 0;
  const visit = (dir) => {
    latest = Math.max(latest, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (!entry.name.endsWith('.test.ts')) latest = Math.max(latest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) visit(dir);
  for (const file of files) if (existsSync(file)) latest = Math.max(latest, statSync(file).mtimeMs);
  return latest;
}
const newestSource = () => newest([SRC], INPUTS);

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
    // The panel is built on its own (buildAdmin): it moves into the new dist/ as it is.
    if (existsSync(path.join(DIST, 'admin'))) renameSync(path.join(DIST, 'admin'), path.join(next, 'admin'));
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

const ADMIN_SRC = path.join(ROOT, 'admin');
export const ADMIN_DIST = path.join(DIST, 'admin');
const ADMIN_STAMP = path.join(ADMIN_DIST, '.built');
/** What the panel is made from besides admin/: its dependencies' versions and this script. */
const ADMIN_INPUTS = ['package-lock.json', 'scripts/build.js'].map((f) => path.join(ROOT, f));
/** Text assets sent compressed: the server picks the .br or .gz file the browser accepts. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

/** Why dist/admin must be built, or null when it is up to date. */
export function adminStaleReason() {
  if (!existsSync(ADMIN_STAMP)) return 'dist/admin is missing';
  if (!existsSync(ADMIN_SRC)) return null;
  return newest([ADMIN_SRC], ADMIN_INPUTS) > statSync(ADMIN_STAMP).mtimeMs
    ? 'the panel sources changed'
    : null;
}

function compressTree(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) compressTree(full);
    else if (COMPRESSIBLE.test(entry.name) && statSync(full).size >= 1024) {
      const content = readFileSync(full);
      writeFileSync(`${full}.gz`, gzipSync(content, { level: 9 }));
      writeFileSync(
        `${full}.br`,
        brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  }
}

/** Builds the panel with Vite into a fresh directory and swaps it in as dist/admin. */
export function buildAdmin() {
  const started = new Date();
  const next = path.join(ROOT, `.dist-admin-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  let vite;
  try {
    // vite/bin is not in the package's exports: found beside its package.json.
    vite = path.join(
      path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
      'bin/vite.js',
    );
  } catch {
    throw new NoCompiler('cannot build dist/admin: Vite is not installed (run npm install)');
  }
  const run = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      path.join(ADMIN_SRC, 'vite.config.ts'),
      '--outDir',
      next,
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  try {
    if (run.status !== 0)
      throw new BuildError(`cannot build dist/admin: vite failed (${run.status ?? run.signal})`);
    compressTree(next);
    writeFileSync(path.join(next, '.built'), '');
    utimesSync(path.join(next, '.built'), started, started);
    mkdirSync(DIST, { recursive: true });
    const old = path.join(ROOT, `.dist-admin-old-${process.pid}`);
    try {
      renameSync(ADMIN_DIST, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(next, ADMIN_DIST);
    } catch (error) {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}

/** Runs `make` (a build) when `reason` says so; without a compiler an existing build is used as it is. */
function ensure(what, reason, make, stamp) {
  if (!reason) return;
  process.stderr.write(`magnetiq: building ${what} (${reason})\n`);
  try {
    make();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    if (!(error instanceof NoCompiler) || !existsSync(stamp)) {
      process.stderr.write(`magnetiq: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`magnetiq: ${error.message}; using the existing ${what}\n`);
  }
}

/**
 * Builds the server when dist/ is missing or older than the sources, and the panel likewise; says so on stderr
 * (stdout belongs to the program).
 */
export function ensureBuilt() {
  ensure('the server into dist/', staleReason(), build, STAMP);
  ensureAdminBuilt();
}

/** Builds the panel when dist/admin is missing or older than admin/ (the browser tests call it too). */
export function ensureAdminBuilt() {
  ensure('the admin panel into dist/admin', adminStaleReason(), buildAdmin, ADMIN_STAMP);
}

// `node scripts/build.js [--if-stale] [--server|--admin]`: builds the server and the panel (or the one named),
// with --if-stale only what is missing or stale.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const server = !args.includes('--admin');
  const admin = !args.includes('--server');
  const ifStale = args.includes('--if-stale');
  try {
    if (server && (!ifStale || staleReason())) build();
    if (admin && (!ifStale || adminStaleReason())) buildAdmin();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    process.stderr.write(`magnetiq: ${error.message}\n`);
    process.exit(1);
  }
}
