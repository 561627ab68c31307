import type { Kysely } from 'kysely';
import type { DB, JsonValue } from '../../platform/db/schema.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import {
  ancestorsOf,
  liveBySlug,
  liveChildCounts,
  liveChildren,
  liveChildrenOfEach,
  livePages,
  nextPublication,
  type LivePageRow,
  type PublishedPageRow,
} from './repository/published.ts';
import { headline, HIT_START, HIT_STOP } from './headline.ts';
import { searchPages, type SearchPage } from './repository/search.ts';

/** Deeper parent chains than this are treated as broken (a cycle that the one-row CHECK cannot stop). */
const MAX_DEPTH = 32;

/** A published page with the pages above it, from the root down, each as a breadcrumb needs it. */
export interface PublishedPage {
  page: PublishedPageRow;
  chain: { slug: string; title: JsonValue }[];
}

/** A node of a part of the tree of live pages: how many live pages are under it, and the first of them. */
export interface LiveBranch {
  id: string;
  slug: string;
  title: JsonValue;
  path: string;
  /** How many live pages are directly under it, also when `children` holds fewer (or none: the depth's end). */
  child_count: number;
  children: LiveBranch[];
}

/** A public page's place on the site: its full path and when it last changed (a sitemap's entry). */
export interface LiveEntry {
  id: string;
  path: string;
  title: JsonValue;
  updated_at: string;
}

/** A search hit: the title in both languages, the snippet as HTML. */
export interface PageHit {
  id: string;
  slug: string;
  /** The full path (published pages only). */
  path: string | null;
  status: string;
  title: JsonValue;
  snippet: string;
  /** The language the snippet is mostly in: the reader's, or the other for a page without content in it. */
  snippet_lang: Locale;
  rank: number;
  published_at: string | null;
  updated_at: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** What counts as part of a word next to an underscore: letters, digits and the hit markers. */
const WORD = `\\p{L}\\p{N}${HIT_START}${HIT_STOP}`;
const EDGE_UNDERSCORES = new RegExp(`(^|[^${WORD}])_+|_+(?=[^${WORD}]|$)`, 'gu');

/**
 * A headline's words without Markdown's symbols: link and image syntax gives its text (also where a fragment
 * cut it), heading, quote and list markers, emphasis, code marks, fences, rules and table pipes go. The hit
 * markers stay where they are. The text is a fragment of Markdown, so this is a set of rules rather than a parse
 * (markdown-it's plainText needs whole blocks); it keeps `C#`, `#hashtag` and snake_case words.
 */
export function plainHeadline(text: string): string {
  let plain = text;
  for (const [triggers, pattern, replacement] of MARKDOWN_RULES) {
    if (hasAny(plain, triggers)) plain = plain.replace(pattern, replacement);
  }
  return plain.replace(/\s+/g, ' ').trim();
}

/**
 * plainHeadline's rules in order: the characters one of which a rule's pattern needs to match (it is skipped for
 * a text without any: most snippets have few Markdown symbols, and this runs for every hit shown), the pattern,
 * its replacement.
 */
const MARKDOWN_RULES: readonly (readonly [string, RegExp, string])[] = [
  ['\\', /\\([!-/:-@[-`{-~])/g, '$1'],
  ['`~', /^[ \t]*(?:```|~~~).*$/gm, ''],
  ['[', /!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1'],
  ['[', /\[([^\]\n]*)\]\[[^\]\n]*\]/g, '$1'],
  ['[', /^[ \t]{0,3}\[[^\]\n]+\]:.*$/gm, ''],
  ['<', /<((?:https?:|mailto:)[^>\s]*)>/g, '$1'],
  ['>', /^[ \t]{0,3}(?:>[ \t]?)+/gm, ''],
  ['#', /^[ \t]{0,3}#{1,6}(?=[ \t]|$)[ \t]*/gm, ''],
  ['#', /[ \t]+#+[ \t]*$/gm, ''],
  ['-*_', /^[ \t]*(?:[-*_][ \t]*){3,}$/gm, ''],
  ['|', /^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?)?[ \t]*$/gm, ''],
  ['-*+.)', /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+/gm, ''],
  ['[]', /\]\([^)\s]*\)?|!?\[|\]/g, ''],
  ['*`~', /[*`]+|~~/g, ''],
  ['_', EDGE_UNDERSCORES, '$1'],
  ['|', /\s*\|\s*/g, ' '],
];

function hasAny(text: string, characters: string): boolean {
  for (const character of characters) if (text.includes(character)) return true;
  return false;
}

/**
 * A search headline as HTML: Markdown's symbols removed (plainHeadline), everything escaped except the hit
 * markers, which become <mark>…</mark>.
 */
export function snippetHtml(headline: string): string {
  return plainHeadline(headline)
    .replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
    .replaceAll(HIT_START, '<mark>')
    .replaceAll(HIT_STOP, '</mark>');
}

/**
 * What the public site (and the staff search) reads of the pages: a page is public when it is published, not
 * deleted, its publication time reached, and every page above it is public too.
 */
export class PublishedPages {
  constructor(private readonly db: Kysely<DB>) {}

  /** A public page by slug with the chain of pages above it; undefined when it or a page above is not public. */
  async bySlug(slug: string): Promise<PublishedPage | undefined> {
    const page = await liveBySlug(this.db, slug);
    if (!page) return undefined;
    const ancestors = page.parent_id ? await ancestorsOf(this.db, page.parent_id, MAX_DEPTH) : [];
    // Every page above must be live and the chain must reach a root (not cut by a depth limit or a deletion).
    const top = ancestors.at(-1);
    if (ancestors.some((a) => !a.live) || (top !== undefined && top.parent_id !== null)) return undefined;
    const chain = [...ancestors].reverse().map((a) => ({ slug: a.slug, title: a.title }));
    return { page, chain };
  }

  /**
   * A part of the tree of public pages: the pages under `parentSlug` (undefined: the top level), `depth` levels
   * down, at most `limit` under each page, each with its number of live children, and how many are directly
   * under the parent. Undefined when the parent is not public. A level costs two indexed reads, whatever the
   * size of the site: what a menu or a section shows, never the whole tree.
   */
  async subtree(
    parentSlug: string | undefined,
    depth: number,
    limit: number,
  ): Promise<{ items: LiveBranch[]; total: number } | undefined> {
    let parentId: string | null = null;
    let prefix = '';
    if (parentSlug !== undefined) {
      const parent = await this.bySlug(parentSlug);
      if (!parent) return undefined;
      parentId = parent.page.id;
      prefix = [...parent.chain.map((step) => step.slug), parent.page.slug]
        .map((slug) => `/${slug}`)
        .join('');
    }
    const branch = (row: LivePageRow, path: string): LiveBranch => ({
      id: row.id,
      slug: row.slug,
      title: row.title,
      path,
      child_count: 0,
      children: [],
    });
    const items = (await liveChildren(this.db, parentId, limit)).map((row) =>
      branch(row, `${prefix}/${row.slug}`),
    );
    let level = items;
    let counts = await liveChildCounts(this.db, [parentId, ...level.map((item) => item.id)]);
    const total = counts.get(parentId) ?? 0;
    for (let down = 1; ; down++) {
      for (const item of level) item.child_count = counts.get(item.id) ?? 0;
      const parents = new Map(level.filter((item) => item.child_count > 0).map((item) => [item.id, item]));
      if (down >= depth || parents.size === 0) break;
      const next: LiveBranch[] = [];
      for (const row of await liveChildrenOfEach(this.db, [...parents.keys()], limit)) {
        const parent = parents.get(row.parent_id ?? '');
        if (!parent) continue;
        const child = branch(row, `${parent.path}/${row.slug}`);
        parent.children.push(child);
        next.push(child);
      }
      level = next;
      counts = await liveChildCounts(
        this.db,
        level.map((item) => item.id),
      );
    }
    return { items, total };
  }

  /** Every public page with its full path, in tree order (parents before their children). */
  async entries(): Promise<LiveEntry[]> {
    const rows = await livePages(this.db);
    const children = new Map<string | null, typeof rows>();
    for (const row of rows) {
      const siblings = children.get(row.parent_id) ?? [];
      siblings.push(row);
      children.set(row.parent_id, siblings);
    }
    const entries: LiveEntry[] = [];
    const walk = (parent: string | null, prefix: string) => {
      for (const row of children.get(parent) ?? []) {
        const path = `${prefix}/${row.slug}`;
        entries.push({ id: row.id, path, title: row.title, updated_at: iso(row.updated_at) });
        walk(row.id, path);
      }
    };
    walk(null, '');
    return entries;
  }

  /**
   * The public pages directly under `parentId` (null: the top level), at most `limit`, with their paths
   * (`prefix` is the parent's path): a site's menu reads one level, never the whole tree.
   */
  async children(
    parentId: string | null,
    prefix: string,
    limit: number,
  ): Promise<{ id: string; slug: string; title: JsonValue; path: string }[]> {
    const rows = await liveChildren(this.db, parentId, limit);
    return rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      title: row.title,
      path: `${prefix}/${row.slug}`,
    }));
  }

  /** When the next page published for a later time becomes public (the tree changes then). */
  nextPublication(): Promise<Date | undefined> {
    return nextPublication(this.db);
  }

  /**
   * Full-text search, best first, in the reader's language: `published` what the site can show (with full
   * paths), `all` every page that is not deleted.
   */
  async search(query: SearchPage, scope: 'published' | 'all'): Promise<{ hits: PageHit[]; total: number }> {
    const { rows, total } = await searchPages(this.db, query, scope);
    return {
      hits: rows.map((row) => ({
        id: row.id,
        slug: row.slug,
        path: row.path,
        status: row.status,
        title: row.title,
        snippet: snippetHtml(headline(row.tokens ?? '', row.lexemes)),
        snippet_lang: row.text_lang ?? query.lang,
        rank: row.rank,
        published_at: iso(row.published_at),
        updated_at: iso(row.updated_at),
      })),
      total,
    };
  }
}
