import { createHash } from 'node:crypto';
import type { JsonValue } from '../../platform/db/schema.ts';
import { iso } from '../../platform/http/schemas.ts';
import { resolveLanguage, type Locale } from '../../platform/i18n/index.ts';
import { pageError, type PublishedPages } from '../pages/index.ts';
import type { PublicCache, Rendered } from './cache.ts';

/** A rendered answer and its validator: the ETag is a digest of exactly the bytes sent. */
export function rendered(answer: unknown): Rendered {
  const body = JSON.stringify(answer);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag };
}

/** The public answers about pages, rendered once per change of the table and kept in the cache. */
export class PublicPages {
  constructor(
    private readonly published: PublishedPages,
    private readonly cache: PublicCache,
  ) {}

  /** A published page (under published parents) in `lang`; 404 `pages.not_found` otherwise. */
  async page(slug: string, lang: Locale): Promise<Rendered> {
    const answer = await this.cache.load(`page\u0000${lang}\u0000${slug}`, () =>
      this.#renderPage(slug, lang),
    );
    if (!answer) throw pageError('pages.not_found', { slug });
    return answer;
  }

  /**
   * A part of the tree of live pages in `lang`: `depth` levels under the page `parent` (a slug; the top level
   * without it), at most `limit` pages under each; a page under an unpublished one is left out with its subtree.
   * 404 `pages.not_found` when the parent is not public.
   */
  async navigation(
    lang: Locale,
    query: { parent?: string | undefined; depth: number; limit: number },
  ): Promise<Rendered> {
    const { parent, depth, limit } = query;
    const key = `nav\u0000${lang}\u0000${parent ?? ''}\u0000${String(depth)}\u0000${String(limit)}`;
    const answer = await this.cache.load(key, async () => {
      const tree = await this.published.subtree(parent, depth, limit);
      if (!tree) return undefined;
      const fallbacks: string[] = [];
      const items = resolveLanguage(
        tree.items as unknown as JsonValue,
        lang,
        fallbacks,
        'items',
      ) as JsonValue[];
      const next = await this.published.nextPublication();
      return {
        ...rendered({ lang, parent: parent ?? null, total: tree.total, items, fallbacks }),
        expiresAt: next?.getTime(),
      };
    });
    if (!answer) throw pageError('pages.not_found', { slug: parent });
    return answer;
  }

  async #renderPage(slug: string, lang: Locale): Promise<Rendered | undefined> {
    const found = await this.published.bySlug(slug);
    if (!found) return undefined;
    const { page, chain } = found;
    const crumbs: { slug: string; title: JsonValue; path: string }[] = [];
    let path = '';
    for (const step of [...chain, page]) {
      path = `${path}/${step.slug}`;
      crumbs.push({ slug: step.slug, title: step.title, path });
    }
    const raw = {
      id: page.id,
      slug: page.slug,
      lang,
      path,
      breadcrumbs: crumbs,
      title: page.title,
      excerpt: page.excerpt,
      content: page.content,
      blocks: page.blocks ?? [],
      meta_title: page.meta_title,
      meta_description: page.meta_description,
      meta_keywords: page.meta_keywords,
      og_image: page.og_image,
      canonical_url: page.canonical_url,
    } as unknown as Record<string, JsonValue>;
    const fallbacks: string[] = [];
    const resolved = resolveLanguage(raw, lang, fallbacks) as Record<string, JsonValue>;
    return rendered({
      ...resolved,
      published_at: iso(page.published_at),
      updated_at: iso(page.updated_at),
      version: page.version,
      fallbacks,
    });
  }
}
