import type { Page } from '../../platform/http/pagination.ts';
import { resolveLanguage, type Locale } from '../../platform/i18n/index.ts';
import type { PublishedPages } from '../pages/index.ts';
import { searchError } from './errors.ts';
import { MAX_QUERY_LENGTH, type AdminHit, type PublicHit, type SearchQuery, type Text } from './schemas.ts';

/** A search request once its language is decided. */
type Search = Omit<SearchQuery, 'lang'> & { lang: Locale };

/**
 * The search over pages in the reader's language (the pages module finds and ranks, with snippets in that
 * language); titles are given in `lang`, English where it has none (named in `fallbacks`).
 */
export class PageSearch {
  constructor(private readonly pages: PublishedPages) {}

  /** Published pages whose parents are published too (what the site can show), with their full paths. */
  async published(query: Search): Promise<Page<PublicHit>> {
    const { hits, total } = await this.pages.search({ ...query, q: checked(query.q) }, 'published');
    return {
      items: hits.map((hit) => {
        const fallbacks: string[] = [];
        return {
          id: hit.id,
          slug: hit.slug,
          path: hit.path ?? `/${hit.slug}`,
          title: resolveLanguage(hit.title, query.lang, fallbacks, 'title') as Text,
          snippet: hit.snippet,
          rank: hit.rank,
          published_at: hit.published_at,
          fallbacks,
        };
      }),
      total,
      page: query.page,
      per_page: query.per_page,
    };
  }

  /** Every page that is not deleted (drafts, scheduled, archived too), with its status: for staff. */
  async all(query: Search): Promise<Page<AdminHit>> {
    const { hits, total } = await this.pages.search({ ...query, q: checked(query.q) }, 'all');
    return {
      items: hits.map((hit) => {
        const fallbacks: string[] = [];
        return {
          id: hit.id,
          slug: hit.slug,
          status: hit.status,
          title: resolveLanguage(hit.title, query.lang, fallbacks, 'title') as Text,
          snippet: hit.snippet,
          rank: hit.rank,
          published_at: hit.published_at,
          updated_at: hit.updated_at,
          fallbacks,
        };
      }),
      total,
      page: query.page,
      per_page: query.per_page,
    };
  }
}

function checked(raw: string): string {
  const q = raw.trim();
  if (q === '' || q.length > MAX_QUERY_LENGTH) {
    throw searchError('search.invalid_query', { max: MAX_QUERY_LENGTH });
  }
  return q;
}
