import type { ConsultantsService, PublicConsultant } from '../modules/consultants/index.ts';
import type { MediaService } from '../modules/media/index.ts';
import type { PagePreviews, PreviewChanges, PublishedPage, PublishedPages } from '../modules/pages/index.ts';
import { PublicCache } from '../modules/public/index.ts';
import type { SettingsReader } from '../modules/settings/index.ts';
import type { Database } from '../platform/db/connection.ts';
import type { JsonValue } from '../platform/db/schema.ts';
import { resolveLanguage, type Locale } from '../platform/i18n/index.ts';
import type { SiteAssets } from './assets.ts';
import type { ResolvedBlock } from './blocks/types.ts';
import type { SiteContext } from './context.ts';
import { htmlAnswer, textAnswer, type HtmlAnswer } from './html.ts';
import { robotsTxt, sitemapXml } from './seo.ts';
import { MESSAGES } from './messages.ts';
import { ContentPage, ErrorPage, NotFoundPage } from './views/pages.tsx';

/** The channels whose changes make cached HTML wrong: pages, media and consultants (0022), settings (0012). */
export const SITE_CHANNELS = ['pages_changed', 'site_changed', 'magnetiq_settings'];

/** How many top-level pages the menu shows, and how many children a section's menu. */
const MENU_SIZE = 8;
const SECTION_SIZE = 30;

export interface SiteDeps {
  database: Database;
  pages: PublishedPages;
  previews: PagePreviews;
  media: MediaService;
  consultants: ConsultantsService;
  settings: SettingsReader;
  assets: SiteAssets;
  /** PUBLIC_URL, without a trailing slash. */
  origin: string;
}

/** What a content page request comes to: a page, a redirect to its proper address, or nothing. */
export type PageOutcome = { page: HtmlAnswer } | { redirect: string } | undefined;

/**
 * The website: pages rendered from the page tree in English or German, kept as HTML in memory until something
 * they are made of changes (any instance's write; see PublicCache) or a scheduled page goes live.
 */
export class Site {
  readonly cache: PublicCache<HtmlAnswer & { redirect?: string }>;

  constructor(private readonly deps: SiteDeps) {
    this.cache = new PublicCache(deps.database, 2000, SITE_CHANNELS);
    this.cache.onInvalidate(() => {
      this.#contexts.clear();
    });
  }

  /** The frame of every page in `lang`: words, menu, footer. */
  context(lang: Locale): Promise<SiteContext> {
    // Every uncached page (a search, a booking step) needs the frame: it is kept while the cache may keep pages.
    if (!this.cache.listening) return this.#context(lang);
    let kept = this.#contexts.get(lang);
    if (!kept) {
      kept = this.#context(lang);
      this.#contexts.set(lang, kept);
      kept.catch(() => this.#contexts.delete(lang));
    }
    return kept;
  }

  readonly #contexts = new Map<Locale, Promise<SiteContext>>();

  async #context(lang: Locale): Promise<SiteContext> {
    const { settings, pages } = this.deps;
    const [siteTitle, contactEmail, footerText, footerLinks, home, top] = await Promise.all([
      settings.get('site_title'),
      settings.get('contact_email'),
      settings.get('footer_text'),
      settings.get('footer_links'),
      settings.get('home_page'),
      pages.children(null, '', MENU_SIZE + 1),
    ]);
    return {
      lang,
      t: MESSAGES[lang],
      assets: this.deps.assets,
      origin: this.deps.origin,
      siteTitle: siteTitle[lang] || siteTitle.en,
      contactEmail,
      nav: top
        .filter((page) => page.slug !== home)
        .slice(0, MENU_SIZE)
        .map((page) => ({ label: titleIn(page.title, lang), href: page.path })),
      footerText: footerText[lang] || footerText.en,
      footerLinks: footerLinks.map((link) => ({ label: link.label[lang] || link.label.en, href: link.href })),
    };
  }

  /**
   * The page at `path` ("/services/ai-audit", "/" for the home page) in `lang`. A page reached by another
   * path (moved, or the home page by its slug) redirects to its address.
   */
  async page(lang: Locale, path: string): Promise<PageOutcome> {
    const answer = await this.cache.load(`page\u0000${lang}\u0000${path}`, () =>
      this.#renderPage(lang, path),
    );
    if (!answer) return undefined;
    return answer.redirect ? { redirect: answer.redirect } : { page: answer };
  }

  /** sitemap.xml of every public page in both languages. */
  async sitemap(): Promise<HtmlAnswer> {
    const answer = await this.cache.load('sitemap.xml', async () => {
      const [entries, home, next] = await Promise.all([
        this.deps.pages.entries(),
        this.deps.settings.get('home_page'),
        this.deps.pages.nextPublication(),
      ]);
      const xml = sitemapXml(this.deps.origin, entries, home);
      return textAnswer(xml, 'application/xml; charset=utf-8', 200, next?.getTime());
    });
    if (!answer) throw new Error('the sitemap is always rendered');
    return answer;
  }

  robots(): HtmlAnswer {
    return textAnswer(robotsTxt(this.deps.origin), 'text/plain; charset=utf-8');
  }

  /** The 404 page in `lang` (cached: crawlers ask for many). */
  async notFound(lang: Locale): Promise<HtmlAnswer> {
    const answer = await this.cache.load(`404\u0000${lang}`, async () =>
      htmlAnswer(<NotFoundPage ctx={await this.context(lang)} />, 404),
    );
    if (!answer) throw new Error('the 404 page is always rendered');
    return answer;
  }

  /** The error page: it must not fail itself, so it is made without the database when the context fails. */
  async error(lang: Locale): Promise<HtmlAnswer> {
    let ctx: SiteContext;
    try {
      ctx = await this.context(lang);
    } catch {
      ctx = {
        lang,
        t: MESSAGES[lang],
        assets: this.deps.assets,
        origin: this.deps.origin,
        siteTitle: 'voltAIc Systems',
        contactEmail: '',
        nav: [],
        footerText: '',
        footerLinks: [],
      };
    }
    return htmlAnswer(<ErrorPage ctx={ctx} />, 500);
  }

  async #renderPage(lang: Locale, path: string): Promise<(HtmlAnswer & { redirect?: string }) | undefined> {
    const home = await this.deps.settings.get('home_page');
    const segments = path.split('/').filter(Boolean);
    const slug = segments.at(-1) ?? home;
    const found = await this.deps.pages.bySlug(slug);
    if (!found) return undefined;
    const own = [...found.chain.map((c) => c.slug), found.page.slug].join('/');
    const address = own === home ? '/' : `/${own}`;
    const asked = segments.length === 0 ? '/' : `/${segments.join('/')}`;
    if (address !== asked)
      return { ...redirectAnswer(), redirect: `/${lang}${address === '/' ? '/' : address}` };
    return this.#renderContent(lang, found, address, own);
  }

  /** Whether `id` is a page a preview can show (not deleted). */
  async previewable(id: string): Promise<boolean> {
    return (await this.deps.previews.page(id)) !== undefined;
  }

  /**
   * A page as staff preview it: as saved whatever its status (a draft, a pending schedule), with `changes` the
   * editor has not saved yet laid over it; never cached, never indexed. Undefined: no such page.
   */
  async preview(lang: Locale, id: string, changes: PreviewChanges = {}): Promise<HtmlAnswer | undefined> {
    const found = await this.deps.previews.page(id);
    if (!found) return undefined;
    const page = { ...found.page };
    for (const [field, value] of Object.entries(changes)) {
      (page as Record<string, unknown>)[field] = value;
    }
    const home = await this.deps.settings.get('home_page');
    const own = [...found.chain.map((c) => c.slug), page.slug].join('/');
    return this.#renderContent(lang, { page, chain: found.chain }, own === home ? '/' : `/${own}`, own, true);
  }

  async #renderContent(
    lang: Locale,
    found: PublishedPage,
    address: string,
    own: string,
    preview = false,
  ): Promise<HtmlAnswer> {
    const { page, chain } = found;
    const [ctx, children, next] = await Promise.all([
      this.context(lang),
      this.deps.pages.children(page.id, `/${own}`, SECTION_SIZE),
      this.deps.pages.nextPublication(),
    ]);
    const fallbacks: string[] = [];
    const raw = {
      title: page.title,
      excerpt: page.excerpt,
      content: page.content,
      blocks: page.blocks ?? [],
      meta_title: page.meta_title,
      meta_description: page.meta_description,
    } as unknown as JsonValue;
    const resolved = resolveLanguage(raw, lang, fallbacks) as unknown as {
      title: string;
      excerpt: string | null;
      content: string | null;
      blocks: ResolvedBlock[];
      meta_title: string | null;
      meta_description: string | null;
    };
    const blocks = Array.isArray(resolved.blocks) ? resolved.blocks : [];
    const mediaIds = collectMediaIds(blocks);
    if (page.og_image && UUID.test(page.og_image)) mediaIds.push(page.og_image);
    const [media, consultants] = await Promise.all([
      this.deps.media.liveViews(mediaIds),
      this.#consultantsOf(blocks, lang),
    ]);
    const fallbackBlocks = new Set<number>();
    for (const field of fallbacks) {
      const match = /^blocks\.(\d+)\./.exec(field);
      if (match) fallbackBlocks.add(Number(match[1]));
    }
    const crumbs: { title: string; path: string }[] = [];
    let prefix = '';
    for (const step of chain) {
      prefix = `${prefix}/${step.slug}`;
      crumbs.push({ title: titleIn(step.title, lang), path: prefix });
    }
    const ogImage = page.og_image
      ? UUID.test(page.og_image)
        ? media.get(page.og_image)?.url
        : page.og_image
      : undefined;
    return htmlAnswer(
      <ContentPage
        ctx={ctx}
        preview={preview}
        page={{
          id: page.id,
          address,
          title: resolved.title,
          excerpt: resolved.excerpt,
          content: resolved.content,
          metaTitle: resolved.meta_title,
          metaDescription: resolved.meta_description,
          canonical: page.canonical_url,
          ogImage,
          publishedAt: page.published_at ? new Date(page.published_at).toISOString() : null,
          updatedAt: new Date(page.updated_at).toISOString(),
          fallback: {
            title: fallbacks.includes('title'),
            content: fallbacks.includes('content'),
            excerpt: fallbacks.includes('excerpt'),
          },
        }}
        blocks={blocks}
        fallbackBlocks={fallbackBlocks}
        media={media}
        consultants={consultants}
        crumbs={crumbs}
        children={children.map((c) => ({ label: titleIn(c.title, lang), href: c.path }))}
      />,
      200,
      preview ? undefined : next?.getTime(),
    );
  }

  /** The consultants the page's lists and booking widgets name (or the first ones, for a list naming none). */
  async #consultantsOf(blocks: ResolvedBlock[], lang: Locale): Promise<Map<string, PublicConsultant>> {
    const wanted = blocks.filter((b) => b.type === 'consultant_list' || b.type === 'booking_widget');
    if (wanted.length === 0) return new Map();
    const { items } = await this.deps.consultants.listPublic({ lang, page: 1, per_page: 50 });
    return new Map(items.map((c) => [c.id, c]));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function titleIn(title: JsonValue, lang: Locale): string {
  const t = title as Partial<Record<Locale, string>> | null;
  return t?.[lang]?.trim() || t?.en || '';
}

function collectMediaIds(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) collectMediaIds(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'media_id' && typeof v === 'string' && UUID.test(v)) found.push(v);
      else collectMediaIds(v, found);
    }
  }
  return found;
}

/** A placeholder answer for a redirect kept in the cache (only `redirect` is read). */
function redirectAnswer(): HtmlAnswer {
  return { body: Buffer.alloc(0), etag: '""', status: 301 };
}
