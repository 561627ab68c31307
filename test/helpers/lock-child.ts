// A process of its own taking a data directory's lock, for src/platform/db/data-dir-lock.test.ts:
//   node --import tsx test/helpers/lock-child.ts <dir> <command> <exit|hold> [start-at-epoch-ms]
// It waits until start-at (so that several start at the same instant), tries the lock and prints one JSON line:
// {"pid": ..., "locked": true} or {"pid": ..., "refused": "<message>"}. With `exit` it then leaves through
// process.exit() without releasing; with `hold` it keeps the lock until its stdin closes.
import { lockDataDir } from '../../src/platform/db/data-dir-lock.ts';

const [dir, command, mode, startAt] = process.argv.slice(2);
if (!dir || !command || (mode !== 'exit' && mode !== 'hold'))
  throw new Error('usage: <dir> <command> <exit|hold>');

const start = Number(startAt ?? 0);
while (Date.now() < start) {
  // a busy wait: a timer would let the start drift by a scheduler tick
}

let result: { pid: number; locked?: true; refused?: string };
try {
  lockDataDir(dir, command);
  result = { pid: process.pid, locked: true };
} catch (error) {
  result = { pid: process.pid, refused: (error as Error).message };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
if (mode === 'exit') process.exit(0);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
