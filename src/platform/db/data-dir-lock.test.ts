import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import {
  DataDirLockedError,
  lockDataDir,
  lockFileOf,
  processStartOf,
  type LockHolder,
} from './data-dir-lock.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(ROOT, 'test/helpers/lock-child.ts');

const freshDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'magnetiq-lock-')), 'db');

function writeLock(dir: string, holder: Partial<LockHolder> & { pid: number }): LockHolder {
  const full: LockHolder = {
    command: 'magnetiq server',
    since: '2026-01-02T03:04:05.000Z',
    host: hostname(),
    token: 'feedc0de',
    ...holder,
  };
  writeFileSync(lockFileOf(dir), JSON.stringify(full));
  return full;
}

const readLock = (dir: string) => JSON.parse(readFileSync(lockFileOf(dir), 'utf8')) as LockHolder;

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A process that just stays alive (as a holder would), until the test ends. */
function idleProcess(): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  children.push(child);
  return child;
}

/** The pid of a process that ran and has ended. */
async function endedPid(): Promise<number> {
  const gone = idleProcess();
  const ended = new Promise((resolve) => gone.on('exit', resolve));
  gone.kill('SIGKILL');
  await ended;
  return gone.pid ?? 0;
}

/** test/helpers/lock-child.ts in a process of its own; resolves to its one line. */
function lockChild(
  dir: string,
  mode: 'exit' | 'hold',
  startAt = 0,
): {
  child: ChildProcessWithoutNullStreams;
  result: Promise<{ pid: number; locked?: true; refused?: string }>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, dir, 'magnetiq test', mode, String(startAt)],
    {
      cwd: ROOT,
    },
  );
  children.push(child);
  const result = new Promise<{ pid: number; locked?: true; refused?: string }>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out) as { pid: number; locked?: true; refused?: string });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => {
      reject(new Error(`lock child ended (${String(code)}) without an answer: ${err}`));
    });
  });
  return { child, result };
}

function refusal(fn: () => unknown): DataDirLockedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataDirLockedError) return error;
    throw error;
  }
  throw new Error('expected the lock to be refused');
}

describe('the lock of an embedded database directory', () => {
  it('is held while PGlite has the directory open: a second open is refused, a close releases it', async () => {
    const dir = freshDir();
    const first = await openDatabase({ dataDir: dir, command: 'magnetiq server' });
    try {
      expect(readLock(dir)).toMatchObject({ pid: process.pid, command: 'magnetiq server', host: hostname() });
      await expect(openDatabase({ dataDir: dir, command: 'magnetiq seed' })).rejects.toThrow(
        /^it is in use by this process \(magnetiq server, since \d{4}-\d\d-\d\dT[\d:.]+Z\)\. One process at a time/,
      );
    } finally {
      await first.close();
    }
    expect(existsSync(lockFileOf(dir))).toBe(false);
    const again = await openDatabase({ dataDir: dir, command: 'magnetiq seed' });
    expect(readLock(dir).command).toBe('magnetiq seed');
    await again.close();
    // Nothing but the database and (while open) its lock: no draft or stale file left behind.
    expect(readdirSync(path.dirname(dir))).toEqual(['db']);
  });

  it('refuses while another live process holds it, naming that process, and touches nothing', () => {
    const dir = freshDir();
    const holder = idleProcess();
    const pid = holder.pid ?? 0;
    const written = writeLock(dir, { pid, ...optionalStart(pid) });
    const error = refusal(() => lockDataDir(dir, 'magnetiq seed --demo'));
    expect(error.message).toBe(
      `it is in use by magnetiq server (pid ${String(pid)}, since 2026-01-02T03:04:05.000Z). ` +
        'One process at a time: stop that one first, or make the change through its API',
    );
    expect(error.holder).toEqual(written);
    expect(readLock(dir)).toEqual(written);
    expect(readdirSync(path.dirname(dir))).toEqual(['db.lock']);
  });

  it('takes over the lock of a process that has ended', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: await endedPid() });
    const lock = lockDataDir(dir, 'magnetiq seed');
    expect(readLock(dir)).toMatchObject({ pid: process.pid, command: 'magnetiq seed' });
    lock.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });

  it.runIf(processStartOf(process.pid) !== undefined)(
    'takes over a lock whose pid now belongs to a process started at another time (a reused pid)',
    () => {
      const dir = freshDir();
      const other = idleProcess();
      writeLock(dir, { pid: other.pid ?? 0, process_start: '1' });
      const lock = lockDataDir(dir, 'magnetiq server');
      expect(readLock(dir).pid).toBe(process.pid);
      lock.release();
    },
  );

  it('takes over a lock naming its own pid that it does not hold (an earlier process of a restarted container)', () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid });
    const lock = lockDataDir(dir, 'magnetiq server');
    expect(readLock(dir).token).toBe(lock.holder.token);
    lock.release();
  });

  it('refuses a lock taken on another host (a sibling container), whatever its pid, and says how to clear it', async () => {
    const dir = freshDir();
    // Pid 1 and an ended pid: here they say nothing about a process in another container's pid numbering.
    for (const pid of [1, await endedPid(), process.pid]) {
      writeLock(dir, { pid, host: 'other-container' });
      expect(() => lockDataDir(dir, 'magnetiq seed')).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir, 'magnetiq seed')).toThrow(
        `on other-container, since 2026-01-02T03:04:05.000Z). One process at a time: stop that one first, or make the change through its API. If other-container is gone for good, delete ${lockFileOf(dir)}`,
      );
      expect(readLock(dir)).toMatchObject({ pid, host: 'other-container' });
    }
  });

  it('refuses a lock file it cannot read, saying what to do', () => {
    const dir = freshDir();
    writeFileSync(lockFileOf(dir), 'not json');
    expect(refusal(() => lockDataDir(dir, 'magnetiq seed')).message).toBe(
      `its lock file ${lockFileOf(dir)} cannot be read; if no magnetiq process uses this DATA_DIR, delete that file`,
    );
  });

  it('does not remove a lock that is no longer its own when it releases', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, 'magnetiq server');
    // Taken over meanwhile (this process looked dead to someone): the file is theirs now.
    const theirs = writeLock(dir, { pid: process.pid + 1, token: 'theirs' });
    lock.release();
    expect(readLock(dir)).toEqual(theirs);
  });

  it('is released when its process exits without closing', { timeout: 60_000 }, async () => {
    const dir = freshDir();
    const { child, result } = lockChild(dir, 'exit');
    expect(await result).toEqual({ pid: child.pid, locked: true });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });

  it(
    'goes to exactly one of several processes starting at once on a stale lock',
    { timeout: 60_000 },
    async () => {
      const dir = freshDir();
      writeLock(dir, { pid: await endedPid() }); // stale for every child
      const startAt = Date.now() + 3000;
      const runs = Array.from({ length: 4 }, () => lockChild(dir, 'hold', startAt));
      const results = await Promise.all(runs.map((r) => r.result));
      const winners = results.filter((r) => r.locked);
      expect(winners).toHaveLength(1);
      const winner = winners[0]?.pid ?? 0;
      expect(readLock(dir)).toMatchObject({ pid: winner, command: 'magnetiq test' });
      for (const loser of results.filter((r) => !r.locked)) {
        expect(loser.refused).toMatch(
          new RegExp(`^it is in use by magnetiq test \\(pid ${String(winner)}, since `),
        );
      }
      expect(readdirSync(path.dirname(dir))).toEqual(['db.lock']);
    },
  );
});

function optionalStart(pid: number): { process_start?: string } {
  const start = processStartOf(pid);
  return start === undefined ? {} : { process_start: start };
}
