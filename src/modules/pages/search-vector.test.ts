import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { migrate, readMigrations } from '../../platform/db/migrate.ts';

const json = (value: unknown) => JSON.stringify(value);
const opened: Database[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
});

async function matches(database: Database, slug: string, config: string, words: string): Promise<boolean> {
  const { rows } = await sql<{ hit: boolean }>`
    SELECT search_vector @@ websearch_to_tsquery(${config}::regconfig, ${words}) AS hit
    FROM pages WHERE slug = ${slug}`.execute(database.db);
  return rows[0]?.hit ?? false;
}

describe(`the pages' search vector (migration 0023) on ${testEngine()}`, () => {
  it('takes in the blocks and the excerpt of existing pages, without moving their version or updated_at', async () => {
    const database = await createTestDatabase({ empty: true });
    opened.push(database);
    const files = readMigrations();
    await migrate(database, { files: files.filter((file) => file.version < 23) });
    const factories = Factories.for(database);
    const author = await factories.admin();
    await factories.page(author.id, {
      slug: 'old-page',
      title: json({ en: 'Workshops', de: 'Workshops' }),
      excerpt: json({ en: 'About xylophones', de: 'Über Xylophone' }),
      blocks: json([
        {
          type: 'faq',
          items: [
            {
              question: { en: 'Price?' },
              answer: { en: 'Ask for the discount', de: 'Fragen Sie nach Rabatten' },
            },
          ],
        },
      ]),
    });
    const before = await sql<{ version: number; updated_at: Date; audits: number }>`
      SELECT version, updated_at, (SELECT count(*)::int FROM audit_logs) AS audits
      FROM pages WHERE slug = 'old-page'`.execute(database.db);
    expect(await matches(database, 'old-page', 'english', 'discount')).toBe(false);

    await migrate(database, { files });
    expect(await matches(database, 'old-page', 'english', 'discount')).toBe(true);
    expect(await matches(database, 'old-page', 'german', 'Rabatt')).toBe(true);
    expect(await matches(database, 'old-page', 'english', 'xylophone')).toBe(true);
    expect(await matches(database, 'old-page', 'german', 'Xylophon')).toBe(true);
    const after = await sql<{ version: number; updated_at: Date; audits: number }>`
      SELECT version, updated_at, (SELECT count(*)::int FROM audit_logs) AS audits
      FROM pages WHERE slug = 'old-page'`.execute(database.db);
    expect(after.rows).toEqual(before.rows);

    // The trigger keeps it: a new block text is found, and a block's ids and URLs are not text.
    await sql`UPDATE pages SET blocks = ${json([
      { type: 'hero', heading: { en: 'Zeppelins' }, cta: { label: { en: 'Book' }, href: '/balloon' } },
    ])}::jsonb WHERE slug = 'old-page'`.execute(database.db);
    expect(await matches(database, 'old-page', 'english', 'zeppelin')).toBe(true);
    expect(await matches(database, 'old-page', 'english', 'discount')).toBe(false);
    expect(await matches(database, 'old-page', 'english', 'balloon')).toBe(false);
    const texts = await sql<{ de: string; fallback: string }>`
      SELECT pages_block_text(blocks, 'de') AS de, pages_block_text(blocks, 'de', true) AS fallback
      FROM pages WHERE slug = 'old-page'`.execute(database.db);
    expect(texts.rows[0]).toEqual({ de: '', fallback: 'Book\nZeppelins' });
  });
});
