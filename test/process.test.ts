import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, databaseUrl } from './helpers/postgres.ts';

// The product as an operator runs it: compiled, a process started from the command line (`npm start` runs
// scripts/start.js; `magnetiq` is bin/magnetiq.js), configured by the environment.
const ROOT = path.resolve(import.meta.dirname, '..');
// Real processes, each opening a database: on an idle machine a test here takes seconds, but on a 2-core machine
// shared with other work (CI running both suites at once) a start can take a minute. The limits only end hangs.
const PROCESS_TIMEOUT = 300_000;
const READY_TIMEOUT = 180_000;

// Compiles dist/ and dist/admin once for the run when missing or older than the sources (as `npm start` would), so
// the starts below only run them.
beforeAll(() => {
  const built = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stderr}`);
}, PROCESS_TIMEOUT);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'warn' };
  return { ...env, ...extra };
}

function runToEnd(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: baseEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const server = (env: Record<string, string>) => runToEnd(['scripts/start.js'], env);
const cli = (args: string[], env: Record<string, string>) => runToEnd(['bin/magnetiq.js', ...args], env);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${output()}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      return res.status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`server not ready: ${output()}`);
}

interface RunningServer {
  url: string;
  pid: number;
  /** The status of /health/ready once it answered. */
  ready: number;
  stdout: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the server and waits until it answers; the caller stops it (a failed start is killed here). */
async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/start.js'], {
    cwd: ROOT,
    env: baseEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = `http://127.0.0.1:${port}`;
  try {
    const ready = await waitReady(url, child, () => stdout + stderr);
    return {
      url,
      pid: child.pid ?? 0,
      ready,
      stdout: () => stdout,
      async stop() {
        child.kill('SIGTERM');
        try {
          return await exited;
        } finally {
          child.kill('SIGKILL');
        }
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Starts the server, checks readiness, stops it with SIGTERM; returns what it printed. */
async function startAndStop(
  env: Record<string, string>,
): Promise<{ ready: number; code: number | null; stdout: string }> {
  const server = await startServer(env);
  const code = await server.stop();
  return { ready: server.ready, code, stdout: server.stdout() };
}

function signIn(url: string, email: string, password: string): Promise<Response> {
  return fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('starting the server', { timeout: PROCESS_TIMEOUT }, () => {
  it.each([
    [
      { PORT: 'abc' },
      'magnetiq: Invalid configuration: PORT must be a whole number from 0 to 65535 (got "abc")',
    ],
    [
      { DATABASE_URL: 'nonsense' },
      'magnetiq: Invalid configuration: DATABASE_URL must be a URL starting with postgres: or postgresql: (got "nonsense")',
    ],
  ])('with %o exits non-zero with one clear line', async (env, line) => {
    const run = await server({ ...env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'magnetiq-bad-')) });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([line]);
  });

  it('exits with one line when the database server cannot be reached', async () => {
    const run = await server({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /^magnetiq: Cannot open the database \(PostgreSQL at 127\.0\.0\.1:1\/none\): .+$/,
    );
  });

  it('on an empty DATA_DIR is ready, prints the first admin password once, and keeps its data over a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'magnetiq-start-'));
    const first = await startAndStop({ DATA_DIR: dataDir });
    expect(first).toMatchObject({ ready: 200, code: 0 });
    expect(first.stdout).toMatch(/password: \S{24}/);

    const second = await startAndStop({ DATA_DIR: dataDir });
    expect(second).toMatchObject({ ready: 200, code: 0 });
    // The admin of the first start still exists, so no new password is made.
    expect(second.stdout).not.toContain('password');
  });

  // Runs in the PostgreSQL pass of the suite (TEST_DATABASE_URL), where a server is at hand.
  const source = inject('testDatabase');
  it.runIf(source.engine === 'postgres')('on postgres: runs on the server of DATABASE_URL', async () => {
    if (source.engine !== 'postgres') return;
    const name = `${source.prefix}process`;
    await adminQuery(source.url, `CREATE DATABASE ${name}`);
    const env = {
      DATABASE_URL: databaseUrl(source.url, name),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'magnetiq-pg-')),
    };
    expect(await startAndStop(env)).toMatchObject({ ready: 200, code: 0 });
    expect(await startAndStop(env)).toMatchObject({ ready: 200, code: 0 });
  });
});

describe('one process at a time on the embedded database', { timeout: PROCESS_TIMEOUT }, () => {
  it('refuses the CLI and a second server while the server runs, naming it; after a restart the data is intact', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'magnetiq-lock-'));
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: 'correct horse battery' };
    const lockFile = path.join(dataDir, 'db.lock');
    const refusal = (pid: number) =>
      new RegExp(
        `^magnetiq: Cannot open the database \\(embedded PGlite in ${literal(path.join(dataDir, 'db'))}\\): ` +
          `it is in use by magnetiq server \\(pid ${String(pid)}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\. ` +
          'One process at a time: stop that one first, or make the change through its API$',
      );

    const first = await startServer(env);
    let stopped = false;
    try {
      expect(first.ready).toBe(200);
      expect((await signIn(first.url, 'admin@voltaic.systems', 'correct horse battery')).status).toBe(200);
      // `npm start` serves the built panel too (its start built dist/admin when it was missing).
      const panel = await fetch(`${first.url}/admin/login`);
      expect(panel.status).toBe(200);
      expect(await panel.text()).toContain('<div id="root">');
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({
        pid: first.pid,
        command: 'magnetiq server',
      });

      const seed = await cli(['seed', '--demo'], env);
      expect(seed.code).toBe(1);
      expect(seed.stderr.trim().split('\n')).toEqual([expect.stringMatching(refusal(first.pid))]);
      expect(seed.stdout).toBe('');

      const second = await server({ ...env, PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(refusal(first.pid))]);

      // The running server is unharmed, and nothing of the demo arrived.
      expect((await fetch(`${first.url}/api/v1/public/pages/home`)).status).toBe(404);
      stopped = true;
      expect(await first.stop()).toBe(0);
    } finally {
      if (!stopped) await first.stop();
    }
    expect(existsSync(lockFile)).toBe(false);

    const restarted = await startServer(env);
    try {
      expect(restarted.ready).toBe(200);
      expect(restarted.stdout()).not.toContain('password');
      expect((await signIn(restarted.url, 'admin@voltaic.systems', 'correct horse battery')).status).toBe(
        200,
      );
      const settings = await fetch(`${restarted.url}/api/v1/settings/public`);
      expect(await settings.json()).toMatchObject({ site_title: { en: 'voltAIc Systems' } });
    } finally {
      expect(await restarted.stop()).toBe(0);
    }

    // Alone on the directory, the same command works.
    const seed = await cli(['seed', '--demo'], env);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toMatch(/^demo pages: 6 created$/m);
    expect(existsSync(lockFile)).toBe(false);
  });
});

/** A string matched literally inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the magnetiq command', { timeout: PROCESS_TIMEOUT }, () => {
  it('migrates, then finds nothing to do; seeds the demo idempotently; creates an admin, unlocks it and resets its password', async () => {
    const env = {
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'magnetiq-cli-')),
      ADMIN_PASSWORD: 'correct horse battery',
    };
    const migrate = await cli(['migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/^\[1\/\d+\] applying 0001_foundation$/m);
    const again = await cli(['migrate'], env);
    expect(again.stdout.trim()).toBe('database is up to date');

    const seed = await cli(['seed', '--demo'], env);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('first super admin created: admin@voltaic.systems');
    expect(seed.stdout).not.toContain('correct horse');
    expect(seed.stdout).toMatch(/demo pages: [1-9]\d* created/);
    const reseed = await cli(['seed', '--demo'], env);
    expect(reseed.stdout).toMatch(/demo pages: 0 created/);
    expect(reseed.stdout).not.toContain('first super admin');

    const created = await cli(['create-admin', '--email', 'Editor@Example.com', '--role', 'editor'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created editor editor@example\.com/);
    expect(created.stdout).toMatch(/Password for editor@example\.com .*: \S{24}/);
    const twice = await cli(['create-admin', '--email', 'editor@example.com'], env);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('exists already');

    const unlocked = await cli(['unlock', 'Editor@example.com'], env);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain(
      'editor@example.com was not locked and had no failed sign-in attempts: nothing to clear',
    );
    const reset = await cli(['reset-password', 'editor@example.com'], env);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('password of editor@example.com reset; 0 session(s) ended');
    expect(reset.stdout).toMatch(/Password for editor@example\.com .*: \S{24}/);
    for (const command of ['unlock', 'reset-password']) {
      const unknown = await cli([command, 'nobody@example.com'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim().split('\n')).toEqual([
        'magnetiq: no account has the e-mail nobody@example.com',
      ]);
    }
    const short = await cli(['reset-password', 'editor@example.com', '--password', 'too short'], env);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('magnetiq: --password must be 12 to 128 characters');
  });

  it('explains its usage on a wrong command', async () => {
    const run = await cli(['frobnicate'], { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'magnetiq-cli-')) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
    expect(run.stderr).toContain('Usage: magnetiq <command>');
  });
});
