import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, JsonValue } from '../../../platform/db/schema.ts';
import { websearchText } from '../../../platform/db/search.ts';
import type { Locale } from '../../../platform/i18n/index.ts';

/** The text search configuration of each language (the same ones pages_search and pages_search_vector use). */
const CONFIG: Record<Locale, string> = { en: 'english', de: 'german' };

const LIVE_P = sql`p.status = 'published' AND p.deleted_at IS NULL AND p.published_at IS NOT NULL AND p.published_at <= now()`;

export interface HitRow {
  id: string;
  slug: string;
  path: string | null;
  status: string;
  title: JsonValue;
  /**
   * The page's excerpt, content and block text in the reader's language (the other where a text lacks it) as
   * the text search parser's tokens with their lexemes (migration 0025; src/modules/pages/headline.ts reads it).
   */
  tokens: string | null;
  /** The lexemes of the query, in both languages' configurations. */
  lexemes: string[];
  /** The language the text is mostly in: the reader's, or the other one for a page with content in that only. */
  text_lang: Locale | null;
  rank: number;
  published_at: Date | string | null;
  updated_at: Date | string;
}

export interface SearchPage {
  q: string;
  lang: Locale;
  page: number;
  per_page: number;
}

/**
 * Full-text search over pages.search_vector (title weight A, excerpt and content B, text of the blocks C; English
 * and German lexemes, migration 0023): the query is parsed with websearch_to_tsquery in the reader's language (so
 * "Häuser" is stemmed to "haus" by the german configuration) and ranked with ts_rank; the hits of the page asked
 * for come with their text's tokens, for the snippet (migration 0025). `published`: only what the site can show
 * (the page and every page above it live), with full paths.
 *
 * The statement is the database function pages_search (migrations 0023 and 0025 say how it is made fast): planned
 * once per connection, not per search. A page past the last one finds no row to carry the total, so it is counted.
 */
export async function searchPages(
  db: Kysely<DB>,
  query: SearchPage,
  scope: 'published' | 'all',
): Promise<{ rows: HitRow[]; total: number }> {
  const q = websearchText(query.q);
  const published = scope === 'published';
  const { rows } = await sql<HitRow & { total: number }>`
    SELECT id, slug, status, title, published_at, updated_at, path, rank, total, text_lang, tokens, lexemes
    FROM pages_search(${q}, ${query.lang}, ${published}, ${query.per_page},
                      ${(query.page - 1) * query.per_page})`.execute(db);
  const first = rows[0];
  if (first) return { rows, total: first.total };
  if (query.page === 1) return { rows: [], total: 0 };
  const live: RawBuilder<unknown> = published
    ? sql`AND ${LIVE_P} AND (p.parent_id IS NULL OR pages_ancestors_live(p.parent_id))`
    : sql``;
  const counted = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pages p
    WHERE p.search_vector @@ websearch_to_tsquery(${CONFIG[query.lang]}::regconfig, ${q})
      AND p.deleted_at IS NULL ${live}`.execute(db);
  return { rows: [], total: counted.rows[0]?.n ?? 0 };
}
