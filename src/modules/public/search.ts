import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, JsonValue } from '../../platform/db/schema.ts';
import type { Page } from '../../platform/http/pagination.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import { resolveLanguage, type Text } from './pages.ts';
import { searchError } from './errors.ts';

export const MAX_QUERY_LENGTH = 200;

/** The text search configuration of each language (the same ones update_pages_search_vector uses). */
const CONFIG: Record<Locale, string> = { en: 'english', de: 'german' };

/**
 * ts_headline marks hits with these two control characters; they are removed from the text beforehand, so
 * after HTML-escaping the snippet they can only stand for our own <mark> and </mark>.
 */
const START = '\u0001';
const STOP = '\u0002';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** ts_headline's output as HTML: everything escaped except the hit markers, which become <mark>…</mark>. */
export function snippetHtml(headline: string): string {
  return headline
    .replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>');
}

export interface SearchQuery {
  q: string;
  lang: Locale;
  page: number;
  per_page: number;
}

export interface PublicHit {
  id: string;
  slug: string;
  path: string;
  title: Text;
  snippet: string;
  rank: number;
  published_at: string | null;
  fallbacks: string[];
}

export interface AdminHit {
  id: string;
  slug: string;
  status: string;
  title: Text;
  snippet: string;
  rank: number;
  published_at: string | null;
  updated_at: string;
  fallbacks: string[];
}

interface HitRow {
  id: string;
  slug: string;
  path: string | null;
  status: string;
  title: JsonValue;
  headline: string;
  rank: number;
  published_at: Date | string | null;
  updated_at: Date | string;
}

const LIVE_P = sql`p.status = 'published' AND p.deleted_at IS NULL AND p.published_at IS NOT NULL AND p.published_at <= now()`;

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/**
 * Full-text search over pages.search_vector (title weight A, content B, English and German lexemes): the
 * query is parsed with websearch_to_tsquery in the reader's language (so "Häuser" is stemmed to "haus" by the
 * german configuration), ranked with ts_rank_cd, and a snippet of the content in that language is highlighted.
 */
export class PageSearch {
  constructor(private readonly db: Kysely<DB>) {}

  /** Published pages whose parents are published too (what the site can show), with their full paths. */
  async published(query: SearchQuery): Promise<Page<PublicHit>> {
    const q = checked(query.q);
    const { rows, total } = await this.#run(query, q, {
      // Only what the site can show: the page and every page above it live (pages_ancestors_live, 0015).
      where: sql`AND ${LIVE_P} AND pages_ancestors_live(p.parent_id)`,
      path: sql`pages_path(id)`,
    });
    return {
      items: rows.map((row) => {
        const fallbacks: string[] = [];
        return {
          id: row.id,
          slug: row.slug,
          path: row.path ?? `/${row.slug}`,
          title: resolveLanguage(row.title, query.lang, fallbacks, 'title') as Text,
          snippet: snippetHtml(row.headline),
          rank: row.rank,
          published_at: iso(row.published_at),
          fallbacks,
        };
      }),
      total,
      page: query.page,
      per_page: query.per_page,
    };
  }

  /** Every page that is not deleted (drafts, scheduled, archived too), with its status: for staff. */
  async all(query: SearchQuery): Promise<Page<AdminHit>> {
    const q = checked(query.q);
    const { rows, total } = await this.#run(query, q, {
      where: sql`AND p.deleted_at IS NULL`,
      path: sql`NULL::text`,
    });
    return {
      items: rows.map((row) => {
        const fallbacks: string[] = [];
        return {
          id: row.id,
          slug: row.slug,
          status: row.status,
          title: resolveLanguage(row.title, query.lang, fallbacks, 'title') as Text,
          snippet: snippetHtml(row.headline),
          rank: row.rank,
          published_at: iso(row.published_at),
          updated_at: iso(row.updated_at) ?? '',
          fallbacks,
        };
      }),
      total,
      page: query.page,
      per_page: query.per_page,
    };
  }

  async #run(
    query: SearchQuery,
    q: string,
    scope: { where: RawBuilder<unknown>; path: RawBuilder<unknown> },
  ): Promise<{ rows: HitRow[]; total: number }> {
    const { lang } = query;
    const other: Locale = lang === 'en' ? 'de' : 'en';
    const matches = sql`
      FROM pages p
      CROSS JOIN LATERAL (SELECT websearch_to_tsquery(${CONFIG[lang]}::regconfig, ${q}) AS q) q
      WHERE p.search_vector @@ q.q ${scope.where}`;
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
      SELECT id, slug, status, title, published_at, updated_at, ${scope.path} AS path, rank::float8 AS rank,
             ts_headline(body_config::regconfig, translate(body, ${START + STOP}, ''), q,
                         ${HEADLINE_OPTIONS}) AS headline
      FROM hits ORDER BY rank DESC, published_at DESC NULLS LAST, id`;
    const count = sql<{ n: number }>`
      SELECT count(*)::int AS n ${matches}`;
    const [rows, counted] = await Promise.all([hits.execute(this.db), count.execute(this.db)]);
    return { rows: rows.rows, total: counted.rows[0]?.n ?? 0 };
  }
}

function checked(raw: string): string {
  const q = raw.trim();
  if (q === '' || q.length > MAX_QUERY_LENGTH) {
    throw searchError('search.invalid_query', { max: MAX_QUERY_LENGTH });
  }
  return q;
}
