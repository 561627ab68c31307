import type { PageHit, PublishedPages } from '../../modules/pages/index.ts';
import { MAX_QUERY_LENGTH, PAGES_CHANNEL, PublicCache, type Cacheable } from '../../modules/public/index.ts';
import type { SettingsReader } from '../../modules/settings/index.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import type { SiteContext } from '../context.ts';
import { htmlAnswer, type HtmlAnswer } from '../html.ts';
import type { Site } from '../site.tsx';
import { SearchPage, type ResultView, type SearchView } from './view.tsx';

/** The longest query: the public search API's (and the search fields' maxlength). */
export const MAX_QUERY = MAX_QUERY_LENGTH;
export const PER_PAGE = 10;
/** Deeper result pages than this show the last one's emptiness rather than rank thousands of pages. */
export const MAX_PAGE = 1000;
/**
 * How many rendered search pages each instance keeps. They are dropped with everything else on a change, and
 * a flood of different queries only pushes out other queries (content pages live in the site's own cache).
 */
const CAPACITY = 500;
/** A search page is made of pages (hits, menu) and settings (title, footer, home page); not of media. */
const CHANNELS = [PAGES_CHANNEL, 'magnetiq_settings'];

/** What the cache keeps: a rendered page, or the frame every search page of a language shares. */
interface Entry extends Cacheable {
  answer?: HtmlAnswer;
  frame?: Frame;
}

interface Frame {
  ctx: SiteContext;
  home: string;
  /** When the next scheduled page goes live (epoch ms): the results may change then. */
  next: number | undefined;
}

export interface SearchDeps {
  site: Site;
  pages: PublishedPages;
  settings: SettingsReader;
  database: Database;
}

/** A query as typed: the first `q` of the query string, trimmed, runs of white space made one space. */
export function queryOf(raw: unknown): string {
  const value = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

/** A result page number: a positive whole number up to MAX_PAGE, else 1. */
export function pageOf(raw: unknown): number {
  const value = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) return 1;
  return Math.min(MAX_PAGE, Math.max(1, Number(value)));
}

/**
 * The site's search page. Results come from the pages module's full-text search (published pages only, ranked,
 * highlighted); each rendered page of results is kept per language, query and page number, and dropped, like
 * the site's other pages, when pages or settings change on any instance or a scheduled page goes live.
 */
export class SiteSearch {
  readonly cache: PublicCache<Entry>;

  constructor(private readonly deps: SearchDeps) {
    this.cache = new PublicCache<Entry>(deps.database, CAPACITY, CHANNELS);
  }

  /** The search page for what the visitor sent: the form alone, a refusal of a too long query, or results. */
  async page(lang: Locale, rawQ: unknown, rawPage: unknown): Promise<HtmlAnswer> {
    const q = queryOf(rawQ);
    if (q.length > MAX_QUERY) {
      const { ctx } = await this.#frame(lang);
      return htmlAnswer(<SearchPage ctx={ctx} view={{ kind: 'too_long', q, max: MAX_QUERY }} />, 400);
    }
    const page = q === '' ? 1 : pageOf(rawPage);
    const entry = await this.cache.load(`${lang}\u0000${String(page)}\u0000${q}`, async () => {
      const frame = await this.#frame(lang);
      const view: SearchView = q === '' ? { kind: 'empty' } : await this.#results(lang, q, page, frame.home);
      return {
        answer: htmlAnswer(<SearchPage ctx={frame.ctx} view={view} />, 200, frame.next),
        expiresAt: frame.next,
      };
    });
    if (!entry?.answer) throw new Error('a search page is always rendered');
    return entry.answer;
  }

  async #results(lang: Locale, q: string, page: number, home: string): Promise<SearchView> {
    const { hits, total } = await this.deps.pages.search({ q, lang, page, per_page: PER_PAGE }, 'published');
    return {
      kind: 'results',
      q,
      page,
      perPage: PER_PAGE,
      total,
      results: hits.map((hit) => result(hit, lang, home)),
    };
  }

  /** The menu, footer and home page of `lang`, read once per change like the pages themselves. */
  async #frame(lang: Locale): Promise<Frame> {
    const entry = await this.cache.load(`frame\u0000${lang}`, async () => {
      const [ctx, home, next] = await Promise.all([
        this.deps.site.context(lang),
        this.deps.settings.get('home_page'),
        this.deps.pages.nextPublication(),
      ]);
      const at = next?.getTime();
      return { frame: { ctx, home, next: at }, expiresAt: at };
    });
    if (!entry?.frame) throw new Error('the frame is always read');
    return entry.frame;
  }
}

/** A hit as the page shows it: the title in `lang` (English marked as such), the page's own address. */
function result(hit: PageHit, lang: Locale, home: string): ResultView {
  const title = hit.title as Partial<Record<Locale, string>> | null;
  const own = title?.[lang]?.trim();
  const path = hit.path ?? `/${hit.slug}`;
  return {
    title: own || title?.en || hit.slug,
    titleLang: own || lang === 'en' ? undefined : 'en',
    href: `/${lang}${path === `/${home}` ? '/' : path}`,
    snippet: hit.snippet,
    snippetLang: hit.snippet_lang === lang ? undefined : hit.snippet_lang,
  };
}
