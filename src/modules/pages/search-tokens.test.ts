import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { migrate, readMigrations } from '../../platform/db/migrate.ts';
import { headline, HIT_START, HIT_STOP } from './headline.ts';

const json = (value: unknown) => JSON.stringify(value);
const opened: Database[] = [];

afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
});

interface Stored {
  lang: string;
  text_lang: string;
  tokens: string;
  xmin: string;
}

async function stored(database: Database, slug: string): Promise<Record<string, Stored>> {
  const { rows } = await sql<Stored>`
    SELECT t.lang, t.text_lang, t.tokens, t.xmin::text AS xmin
    FROM page_search_tokens t JOIN pages p ON p.id = t.page_id
    WHERE p.slug = ${slug}`.execute(database.db);
  return Object.fromEntries(rows.map((row) => [row.lang, row]));
}

/** The text the tokens stand for: each token's text, without the lexemes. */
function textOf(tokens: string): string {
  return tokens
    .split('\u001f')
    .map((token) => token.split('\u001e')[0])
    .join('');
}

/** Each word of the tokens with its lexemes, `word:lexeme,lexeme` (a stop word `word:`). */
function wordsOf(tokens: string): string[] {
  return tokens
    .split('\u001f')
    .filter((token) => token.includes('\u001e'))
    .map((token) => {
      const [word, ...lexemes] = token.split('\u001e');
      return `${word ?? ''}:${lexemes.join(',')}`;
    });
}

async function lexemes(database: Database, lang: 'en' | 'de', q: string): Promise<string[]> {
  const { rows } = await sql<{ lexemes: string[] }>`
    SELECT lexemes FROM pages_search(${q}, ${lang}, false, 1, 0)`.execute(database.db);
  return rows[0]?.lexemes ?? [];
}

describe(`the pages' search tokens (migration 0025) on ${testEngine()}`, () => {
  it('are written for the pages there are, without moving their version, updated_at or the audit trail', async () => {
    const database = await createTestDatabase({ empty: true });
    opened.push(database);
    const files = readMigrations();
    await migrate(database, { files: files.filter((file) => file.version < 25) });
    const author = await Factories.for(database).admin();
    await Factories.for(database).page(author.id, {
      slug: 'old-page',
      excerpt: json({ en: 'About boats.' }),
      content: json({ en: 'We sail **boats**.', de: 'Wir bauen **Boote**.' }),
    });
    const before = await sql<{ version: number; updated_at: Date; audits: number }>`
      SELECT version, updated_at, (SELECT count(*)::int FROM audit_logs) AS audits
      FROM pages WHERE slug = 'old-page'`.execute(database.db);

    await migrate(database, { files });
    const tokens = await stored(database, 'old-page');
    expect(textOf(tokens['en']?.tokens ?? '')).toBe('About boats.\nWe sail **boats**.');
    // The German page shows the English excerpt: its words are English lexemes.
    expect(textOf(tokens['de']?.tokens ?? '')).toBe('About boats.\nWir bauen **Boote**.');
    expect(wordsOf(tokens['de']?.tokens ?? '')).toEqual([
      'About:',
      'boats:boat',
      'Wir:',
      'bauen:bau',
      'Boote:boot',
    ]);
    expect([tokens['en']?.text_lang, tokens['de']?.text_lang]).toEqual(['en', 'de']);
    const after = await sql<{ version: number; updated_at: Date; audits: number }>`
      SELECT version, updated_at, (SELECT count(*)::int FROM audit_logs) AS audits
      FROM pages WHERE slug = 'old-page'`.execute(database.db);
    expect(after.rows).toEqual(before.rows);
  });

  it('are kept by the trigger: texts of every kind, in their own language, in order; only a text change rewrites them', async () => {
    const database = await createTestDatabase();
    opened.push(database);
    const factories = Factories.for(database);
    const author = await factories.admin();
    await factories.page(author.id, {
      slug: 'kinds',
      excerpt: json({ de: 'Kurz' }),
      content: json({
        en: 'Only English <b>here</b>: data-driven, see https://example.com/a \u0001x\u0002.',
      }),
      blocks: json([
        { type: 'hero', heading: { en: 'Zeppelins', de: 'Luftschiffe' } },
        { type: 'values', items: [{ en: 'Tours' }] },
      ]),
    });
    const first = await stored(database, 'kinds');
    const de = first['de']?.tokens ?? '';
    // Excerpt, content (in English, with its tag dropped, a hyphenated word and a URL given by their parts, the
    // marker characters removed), then the block texts, German where there is German.
    expect(textOf(de)).toBe(
      'Kurz\nOnly English  here : data-driven, see https://example.com/a x.\nLuftschiffe\nTours',
    );
    expect(wordsOf(de)).toEqual([
      'Kurz:kurz',
      'Only:',
      'English:english',
      'here:',
      'data:data',
      'driven:driven',
      'see:see',
      'example.com:example.com',
      '/a:/a',
      'x:x',
      'Luftschiffe:luftschiff',
      'Tours:tour',
    ]);
    // The content is in English only: the German snippet is mostly English.
    expect(first['de']?.text_lang).toBe('en');
    // The English page shows the German excerpt, as the site does.
    expect(textOf(first['en']?.tokens ?? '')).toBe(
      'Kurz\nOnly English  here : data-driven, see https://example.com/a x.\nZeppelins\nTours',
    );

    await sql`UPDATE pages SET title = ${json({ en: 'Kinds' })}::jsonb, sort_order = 3 WHERE slug = 'kinds'`.execute(
      database.db,
    );
    expect((await stored(database, 'kinds'))['de']?.xmin).toBe(first['de']?.xmin);
    await sql`UPDATE pages SET content = ${json({ de: 'Neu' })}::jsonb WHERE slug = 'kinds'`.execute(
      database.db,
    );
    const changed = await stored(database, 'kinds');
    expect(textOf(changed['de']?.tokens ?? '')).toBe('Kurz\nNeu\nLuftschiffe\nTours');
    expect(changed['de']?.text_lang).toBe('de');

    await sql`DELETE FROM pages WHERE slug = 'kinds'`.execute(database.db);
    expect(await stored(database, 'kinds')).toEqual({});
  });

  it('give snippets with the hits of a query in either language marked', async () => {
    const database = await createTestDatabase();
    opened.push(database);
    const author = await Factories.for(database).admin();
    await Factories.for(database).page(author.id, {
      slug: 'houses',
      content: json({ de: 'Wir beraten beim Kauf von Häusern.' }),
      blocks: json([{ type: 'values', items: [{ en: 'Zeppelin tours' }] }]),
    });
    const de = (await stored(database, 'houses'))['de']?.tokens ?? '';
    const mark = (text: string) => text.replaceAll(HIT_START, '[').replaceAll(HIT_STOP, ']');
    expect(mark(headline(de, await lexemes(database, 'de', 'Haus')))).toBe(
      'Wir beraten beim Kauf von [Häusern].\nZeppelin tours',
    );
    // English text on the German page is matched by the English lexemes of the query.
    expect(await lexemes(database, 'de', 'Touren')).toEqual(expect.arrayContaining(['tour', 'touren']));
    expect(mark(headline(de, await lexemes(database, 'de', 'tours')))).toBe(
      'Wir beraten beim Kauf von Häusern.\nZeppelin [tours]',
    );
  });
});
