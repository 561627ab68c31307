import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from './connection.ts';

const engine = testEngine();
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
});

/** The database's listening connections (the pool's have another application name). */
async function listeners(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE application_name = 'magnetiq-listen' AND datname = current_database()`.execute(database.db);
  return rows[0]?.n ?? -1;
}

async function notify(channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(database.db);
}

/** A subscriber that remembers what it heard and what it was told of the connection. */
function recorder() {
  const heard: string[] = [];
  const status: boolean[] = [];
  return {
    heard,
    status,
    onMessage: (payload: string) => heard.push(payload),
    onStatus: (live: boolean) => status.push(live),
  };
}

// PGlite listens on its one connection; what is tested here is the server's listening connection.
describe(`listening on ${engine}`, () => {
  it.runIf(engine === 'postgres')(
    'shares one connection among every channel and subscriber, and closes it after the last one ends',
    async () => {
      const a1 = recorder();
      const a2 = recorder();
      const b = recorder();
      const stopA1 = await database.listen('hub_a', a1.onMessage, a1.onStatus);
      const stopA2 = await database.listen('hub_a', a2.onMessage, a2.onStatus);
      const stopB = await database.listen('hub_b', b.onMessage, b.onStatus);
      expect(await listeners()).toBe(1);

      await notify('hub_a', 'one');
      await notify('hub_b', 'two');
      await vi.waitFor(() => {
        expect([a1.heard, a2.heard, b.heard]).toEqual([['one'], ['one'], ['two']]);
      });

      // One subscriber of a channel ends: the other still hears it.
      await stopA1();
      await notify('hub_a', 'three');
      await vi.waitFor(() => {
        expect(a2.heard).toEqual(['one', 'three']);
      });
      expect(a1.heard).toEqual(['one']);

      await stopA2();
      await stopB();
      await vi.waitFor(async () => {
        expect(await listeners()).toBe(0);
      });
      expect([a1.status, a2.status, b.status]).toEqual([[], [], []]);
    },
  );

  it.runIf(engine === 'postgres')(
    'tells every subscriber when the connection drops and when it listens again, then delivers again',
    async () => {
      const a = recorder();
      const b = recorder();
      const stopA = await database.listen('hub_c', a.onMessage, a.onStatus);
      const stopB = await database.listen('hub_d', b.onMessage, b.onStatus);
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = 'magnetiq-listen' AND datname = current_database()`.execute(
        database.db,
      );
      await vi.waitFor(
        () => {
          expect([a.status, b.status]).toEqual([
            [false, true],
            [false, true],
          ]);
        },
        { timeout: 5000 },
      );
      expect(await listeners()).toBe(1);
      await notify('hub_c', 'after');
      await notify('hub_d', 'after too');
      await vi.waitFor(() => {
        expect([a.heard, b.heard]).toEqual([['after'], ['after too']]);
      });
      // A subscription while it listens again changes nothing for the others.
      const c = recorder();
      const stopC = await database.listen('hub_c', c.onMessage, c.onStatus);
      expect(await listeners()).toBe(1);
      await Promise.all([stopA(), stopB(), stopC()]);
      expect([a.status, b.status, c.status]).toEqual([[false, true], [false, true], []]);
    },
  );
});
