import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from '../../platform/db/connection.ts';
import { PAGES_CHANNEL, PublicCache, type Rendered } from './cache.ts';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
});

function counting() {
  let renders = 0;
  const render = (body: string) => () => {
    renders += 1;
    return Promise.resolve<Rendered>({ body, etag: `"${body}"` });
  };
  return { render, renders: () => renders };
}

describe(`PublicCache on ${testEngine()}`, () => {
  it('renders every time while not listening, and keeps answers once it listens', async () => {
    const cache = new PublicCache(database);
    const { render, renders } = counting();
    await cache.load('a', render('a'));
    await cache.load('a', render('a'));
    expect(renders()).toBe(2);
    await cache.start();
    try {
      await cache.load('a', render('a'));
      await cache.load('a', render('a'));
      expect(renders()).toBe(3);
      // Concurrent misses share one render.
      await Promise.all([cache.load('b', render('b')), cache.load('b', render('b'))]);
      expect(renders()).toBe(4);
    } finally {
      await cache.stop();
    }
    await cache.load('a', render('a'));
    expect(renders()).toBe(5);
  });

  it('holds at most `capacity` answers, dropping the least recently used', async () => {
    const cache = new PublicCache(database, 2);
    await cache.start();
    try {
      const { render, renders } = counting();
      await cache.load('a', render('a'));
      await cache.load('b', render('b'));
      await cache.load('a', render('a')); // a is now the most recent
      await cache.load('c', render('c')); // evicts b
      expect(cache.size).toBe(2);
      expect(renders()).toBe(3);
      await cache.load('a', render('a'));
      expect(renders()).toBe(3);
      await cache.load('b', render('b'));
      expect(renders()).toBe(4);
    } finally {
      await cache.stop();
    }
  });

  it('drops everything on a NOTIFY of pages_changed, and does not keep a render that began before it', async () => {
    const cache = new PublicCache(database);
    await cache.start();
    try {
      const { render, renders } = counting();
      await cache.load('a', render('a'));
      await sql`SELECT pg_notify(${PAGES_CHANNEL}, 'UPDATE')`.execute(database.db);
      await vi.waitFor(() => {
        expect(cache.size).toBe(0);
      });
      let release: () => void = () => undefined;
      const slow = cache.load(
        'b',
        () =>
          new Promise<Rendered>((resolve) => {
            release = () => {
              resolve({ body: 'old', etag: '"old"' });
            };
          }),
      );
      cache.invalidate();
      release();
      expect((await slow)?.body).toBe('old');
      expect(cache.size).toBe(0);
      expect(renders()).toBe(1);
    } finally {
      await cache.stop();
    }
  });
});
