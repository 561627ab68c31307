import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * One process at a time on an embedded database. PGlite is PostgreSQL inside the process that opens it, over
 * the files of DATA_DIR/db: a second process opening the same files works on its own copy in memory, its writes
 * are lost or overwrite the first one's, and the files can be left corrupt ("PGlite failed to initialize
 * properly"). So whoever opens the files holds `<dir>.lock` (DATA_DIR/db.lock) until it closes them or exits,
 * and everyone else is refused before touching anything, told who holds it.
 *
 * - Taking it is atomic: the lock is written completely to a file of our own, then hard-linked to its name,
 *   which fails when the name exists (like O_EXCL, but no one ever reads a half-written lock). Of two processes
 *   starting at once, exactly one gets it.
 * - A lock whose holder is gone (no process with its pid, or one started at another time: a reused pid, or our
 *   own pid after a container restart) is stale and taken over. To remove it, the lock is first renamed to a
 *   name of our own and checked to be the very lock judged stale; if another process had already replaced it
 *   with a live lock of its own, that one is put back. (Three processes racing for the same stale lock within
 *   microseconds could still both win; nothing short of an OS lock prevents that.)
 * - Liveness can only be judged on the holder's own host: pids and process start times of another container
 *   sharing the volume (each with its own pid numbering, often pid 1) say nothing here. So a lock taken on
 *   another host (hostname) counts as held; if that host or container is gone for good, the operator deletes the
 *   file, as the refusal says. A DATA_DIR shared between machines over a network file system is not supported.
 * - PostgreSQL servers need none of this: they have their own locking, and many instances may share one.
 */

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  /** What the process is: "magnetiq server", "magnetiq seed". */
  command: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** When the kernel started the process (Linux, /proc/<pid>/stat), to tell a reused pid apart. */
  process_start?: string;
  host: string;
  /** Unique per lock taken: which lock is whose. */
  token: string;
}

/** A lock held by this process; `release` is idempotent. */
export interface DataDirLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): void;
}

/** The directory is locked by a live process (or its lock cannot be read): nothing was touched. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    message: string,
    readonly file: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
  }
}

/** The lock file of a database directory: beside it, since PostgreSQL's initdb wants an empty directory. */
export function lockFileOf(dir: string): string {
  return `${path.resolve(dir)}.lock`;
}

/** The locks this process holds, by file: released at exit, and a second open in this process is refused. */
const held = new Map<string, DataDirLock>();
let exitHookInstalled = false;

/** Takes the lock of `dir` for this process, or throws DataDirLockedError naming the holder. */
export function lockDataDir(dir: string, command: string): DataDirLock {
  const file = lockFileOf(dir);
  const mine = held.get(file);
  if (mine) throw lockedError(file, mine.holder, true);

  const holder: LockHolder = {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    ...optional('process_start', processStartOf(process.pid)),
    host: hostname(),
    token: randomBytes(12).toString('hex'),
  };
  const draft = `${file}.${holder.token}.new`;
  writeFileSync(draft, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
  try {
    // A stale lock removed costs one more round; another process winning a round ends in a refusal.
    for (let round = 0; round < 5; round++) {
      try {
        linkSync(draft, file);
        return hold(file, holder);
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      const current = readLock(file);
      if (current === 'missing') continue; // released since
      if (current === 'unreadable') {
        throw new DataDirLockedError(
          `its lock file ${file} cannot be read; if no magnetiq process uses this DATA_DIR, delete that file`,
          file,
        );
      }
      if (isAlive(current)) throw lockedError(file, current, false);
      removeStale(file, current, holder.token);
    }
    throw new DataDirLockedError(
      `its lock file ${file} keeps changing: other processes are opening it`,
      file,
    );
  } finally {
    unlinkQuietly(draft);
  }
}

function hold(file: string, holder: LockHolder): DataDirLock {
  let released = false;
  const lock: DataDirLock = {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      // Only our own lock goes: one taken over from us (we looked dead) belongs to someone else now.
      try {
        const current = readLock(file);
        if (typeof current === 'object' && current.token === holder.token) unlinkQuietly(file);
      } catch {
        // unreadable now: leave it to whoever finds it
      }
    },
  };
  held.set(file, lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // process.exit() and fatal errors skip close(); a kill -9 leaves a stale lock, which the next start takes.
    process.on('exit', () => {
      for (const each of [...held.values()]) each.release();
    });
  }
  return lock;
}

function lockedError(file: string, holder: LockHolder, here: boolean): DataDirLockedError {
  const host = holder.host === hostname() ? '' : ` on ${holder.host}`;
  const who = here
    ? `this process (${holder.command}, since ${holder.since})`
    : `${holder.command} (pid ${String(holder.pid)}${host}, since ${holder.since})`;
  const gone = host ? `. If ${holder.host} is gone for good, delete ${file}` : '';
  return new DataDirLockedError(
    `it is in use by ${who}. One process at a time: stop that one first, or make the change through its API${gone}`,
    file,
    holder,
  );
}

/** Whether the process a lock names still runs. */
function isAlive(holder: LockHolder): boolean {
  // Another host (a sibling container on the same volume): its pids are not ours to check.
  if (holder.host !== hostname()) return true;
  // Our own pid without the lock in `held`: an earlier process that had our pid (a restarted container).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if (codeOf(error) === 'ESRCH') return false;
  }
  const started = processStartOf(holder.pid);
  return holder.process_start === undefined || started === undefined || started === holder.process_start;
}

/** Removes the stale lock `stale`, and only that one (see the top of the file). */
function removeStale(file: string, stale: LockHolder, token: string): void {
  const aside = `${file}.${token}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return; // someone else removed it
    throw error;
  }
  const moved = readLock(aside);
  if (typeof moved !== 'object' || moved.token !== stale.token) {
    // A live lock another process took meanwhile: give it back (unless a third one was quicker still).
    try {
      linkSync(aside, file);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
  }
  unlinkQuietly(aside);
}

function readLock(file: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (
      value &&
      Number.isSafeInteger(value.pid) &&
      (value.pid ?? 0) > 0 &&
      typeof value.command === 'string' &&
      typeof value.since === 'string' &&
      typeof value.host === 'string' &&
      typeof value.token === 'string'
    ) {
      return value as LockHolder;
    }
  } catch {
    // not JSON: reported below
  }
  return 'unreadable';
}

/** The start time of a process in clock ticks since boot (Linux), or undefined where it cannot be read. */
export function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
