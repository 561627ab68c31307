import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB, JsonValue } from '../../platform/db/schema.ts';
import { resolveLanguage, type Locale } from '../../platform/i18n/index.ts';
import type { PublicCache, Rendered } from './cache.ts';
import { pageError } from '../pages/errors.ts';

export { resolveLanguage };

/**
 * A page the public may see: published, not deleted, its publication time reached. The SQL below and the
 * search repeat this condition; a page is only shown when it and every page above it are live.
 */
const LIVE = sql`status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND published_at <= now()`;

/** Deeper parent chains than this are treated as broken (a cycle that the one-row CHECK cannot stop). */
const MAX_DEPTH = 32;

/** A translatable field once resolved to one language. */
export type Text = string | string[] | null;

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** A rendered answer and its validator: the ETag is a digest of exactly the bytes sent. */
export function rendered(answer: unknown): Rendered {
  const body = JSON.stringify(answer);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag };
}

interface PageRow {
  id: string;
  slug: string;
  parent_id: string | null;
  title: JsonValue;
  content: JsonValue;
  excerpt: JsonValue;
  blocks: JsonValue;
  meta_title: JsonValue;
  meta_description: JsonValue;
  meta_keywords: JsonValue;
  og_image: string | null;
  canonical_url: string | null;
  published_at: Date | string | null;
  updated_at: Date | string;
  version: number;
}

interface AncestorRow {
  id: string;
  slug: string;
  title: JsonValue;
  live: boolean;
  depth: number;
  parent_id: string | null;
}

interface NavRow {
  id: string;
  parent_id: string | null;
  slug: string;
  title: JsonValue;
}

export interface NavNode {
  id: string;
  slug: string;
  title: JsonValue;
  path: string;
  children: NavNode[];
}

/** Reads of the pages table for the public site (this module only reads it; src/modules/pages writes it). */
export class PublicPagesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async liveBySlug(slug: string): Promise<PageRow | undefined> {
    const { rows } = await sql<PageRow>`
      SELECT id, slug, parent_id, title, content, excerpt, blocks, meta_title, meta_description, meta_keywords,
             og_image, canonical_url, published_at, updated_at, version
      FROM pages WHERE slug = ${slug} AND ${LIVE}`.execute(this.db);
    return rows[0];
  }

  /** The pages above `parentId`, nearest first, each saying whether it is live. */
  async ancestors(parentId: string): Promise<AncestorRow[]> {
    const { rows } = await sql<AncestorRow>`
      WITH RECURSIVE up AS (
        SELECT id, parent_id, slug, title, (${LIVE}) AS live, 1 AS depth
        FROM pages WHERE id = ${parentId}
        UNION ALL
        SELECT p.id, p.parent_id, p.slug, p.title,
               (p.status = 'published' AND p.deleted_at IS NULL AND p.published_at IS NOT NULL
                AND p.published_at <= now()) AS live,
               up.depth + 1
        FROM pages p JOIN up ON p.id = up.parent_id
        WHERE up.depth < ${MAX_DEPTH}
      )
      SELECT id, parent_id, slug, title, live, depth FROM up ORDER BY depth`.execute(this.db);
    return rows;
  }

  /** When the next page published for a later time becomes live (the navigation changes then). */
  async nextPublication(): Promise<Date | undefined> {
    const { rows } = await sql<{ at: Date | string | null }>`
      SELECT min(published_at) AS at FROM pages
      WHERE status = 'published' AND deleted_at IS NULL AND published_at > now()`.execute(this.db);
    const at = rows[0]?.at;
    return at ? new Date(at) : undefined;
  }

  async livePages(): Promise<NavRow[]> {
    const { rows } = await sql<NavRow>`
      SELECT id, parent_id, slug, title FROM pages WHERE ${LIVE}
      ORDER BY sort_order, slug`.execute(this.db);
    return rows;
  }
}

/** The public answers about pages, rendered once per change of the table and kept in the cache. */
export class PublicPages {
  readonly #repository: PublicPagesRepository;

  constructor(
    db: Kysely<DB>,
    private readonly cache: PublicCache,
  ) {
    this.#repository = new PublicPagesRepository(db);
  }

  /** A published page (under published parents) in `lang`; 404 `pages.not_found` otherwise. */
  async page(slug: string, lang: Locale): Promise<Rendered> {
    const answer = await this.cache.load(`page\u0000${lang}\u0000${slug}`, () =>
      this.#renderPage(slug, lang),
    );
    if (!answer) throw pageError('pages.not_found', { slug });
    return answer;
  }

  /** The tree of live pages in `lang`: a page under an unpublished one is left out with its subtree. */
  async navigation(lang: Locale): Promise<Rendered> {
    const answer = await this.cache.load(`nav\u0000${lang}`, async () => {
      const fallbacks: string[] = [];
      const items = resolveLanguage(
        (await this.#tree()) as unknown as JsonValue,
        lang,
        fallbacks,
        'items',
      ) as JsonValue[];
      const next = await this.#repository.nextPublication();
      return { ...rendered({ lang, items, fallbacks }), expiresAt: next?.getTime() };
    });
    if (!answer) throw new Error('navigation is always rendered');
    return answer;
  }

  async #tree(): Promise<NavNode[]> {
    const rows = await this.#repository.livePages();
    const children = new Map<string | null, NavRow[]>();
    for (const row of rows) {
      const siblings = children.get(row.parent_id) ?? [];
      siblings.push(row);
      children.set(row.parent_id, siblings);
    }
    const build = (parent: string | null, prefix: string): NavNode[] =>
      (children.get(parent) ?? []).map((row) => {
        const path = `${prefix}/${row.slug}`;
        return { id: row.id, slug: row.slug, title: row.title, path, children: build(row.id, path) };
      });
    return build(null, '');
  }

  async #renderPage(slug: string, lang: Locale): Promise<Rendered | undefined> {
    const page = await this.#repository.liveBySlug(slug);
    if (!page) return undefined;
    const ancestors = page.parent_id ? await this.#repository.ancestors(page.parent_id) : [];
    // Every page above must be live and the chain must reach a root (not cut by a depth limit or a deletion).
    const top = ancestors.at(-1);
    if (ancestors.some((a) => !a.live) || (top !== undefined && top.parent_id !== null)) return undefined;
    const chain = [...ancestors].reverse();
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
