import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, JsonValue } from '../../../platform/db/schema.ts';
import { websearchText } from '../../../platform/db/search.ts';
import type { Locale } from '../../../platform/i18n/index.ts';

/** The text search configuration of each language (the same ones update_pages_search_vector uses). */
const CONFIG: Record<Locale, string> = { en: 'english', de: 'german' };

/**
 * ts_headline marks hits with these two control characters; they are removed from the text beforehand, so
 * in the headline they can only stand for the start and the end of a hit.
 */
export const HIT_START = '\u0001';
export const HIT_STOP = '\u0002';
const HEADLINE_OPTIONS = `StartSel=${HIT_START}, StopSel=${HIT_STOP}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const LIVE_P = sql`p.status = 'published' AND p.deleted_at IS NULL AND p.published_at IS NOT NULL AND p.published_at <= now()`;

export interface HitRow {
  id: string;
  slug: string;
  path: string | null;
  status: string;
  title: JsonValue;
  /** The content around the hits, hits between HIT_START and HIT_STOP. */
  headline: string;
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
 * Full-text search over pages.search_vector (title weight A, content B, English and German lexemes): the
 * query is parsed with websearch_to_tsquery in the reader's language (so "Häuser" is stemmed to "haus" by the
 * german configuration), ranked with ts_rank_cd, and a headline of the content in that language is made.
 * `published`: only what the site can show (the page and every page above it live), with full paths.
 */
export async function searchPages(
  db: Kysely<DB>,
  query: SearchPage,
  scope: 'published' | 'all',
): Promise<{ rows: HitRow[]; total: number }> {
  const { lang } = query;
  const q = websearchText(query.q);
  const other: Locale = lang === 'en' ? 'de' : 'en';
  const where: RawBuilder<unknown> =
    scope === 'published'
      ? // pages_ancestors_live: migration 0015.
        sql`AND ${LIVE_P} AND pages_ancestors_live(p.parent_id)`
      : sql`AND p.deleted_at IS NULL`;
  const path: RawBuilder<unknown> = scope === 'published' ? sql`pages_path(id)` : sql`NULL::text`;
  const matches = sql`
    FROM pages p
    CROSS JOIN LATERAL (SELECT websearch_to_tsquery(${CONFIG[lang]}::regconfig, ${q}) AS q) q
    WHERE p.search_vector @@ q.q ${where}`;
  // The snippet comes from the content in the reader's language, else the other one (with its stemming).
  const hits = sql<HitRow>`
    WITH hits AS (
      SELECT p.id, p.slug, p.status, p.title, p.published_at, p.updated_at,
             ts_rank_cd(p.search_vector, q.q) AS rank, q.q,
             CASE WHEN COALESCE(p.content->>${lang}, '') <> '' THEN p.content->>${lang}
                  ELSE COALESCE(p.content->>${other}, '') END AS body,
             CASE WHEN COALESCE(p.content->>${lang}, '') <> '' THEN ${CONFIG[lang]}
                  ELSE ${CONFIG[other]} END AS body_config
      ${matches}
      ORDER BY rank DESC, p.published_at DESC NULLS LAST, p.id
      LIMIT ${query.per_page} OFFSET ${(query.page - 1) * query.per_page}
    )
    SELECT id, slug, status, title, published_at, updated_at, ${path} AS path, rank::float8 AS rank,
           ts_headline(body_config::regconfig, translate(body, ${HIT_START + HIT_STOP}, ''), q,
                       ${HEADLINE_OPTIONS}) AS headline
    FROM hits ORDER BY rank DESC, published_at DESC NULLS LAST, id`;
  const count = sql<{ n: number }>`
    SELECT count(*)::int AS n ${matches}`;
  const [rows, counted] = await Promise.all([hits.execute(db), count.execute(db)]);
  return { rows: rows.rows, total: counted.rows[0]?.n ?? 0 };
}
