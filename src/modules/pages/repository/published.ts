import { sql, type Kysely } from 'kysely';
import type { DB, JsonValue } from '../../../platform/db/schema.ts';

/** The public site's reads of the pages table: what is published, and when the next publication comes. */

/**
 * A page the public may see: published, not deleted, its publication time reached. The queries below and the
 * search repeat this condition; a page is only shown when it and every page above it are live.
 */
const LIVE = sql`status = 'published' AND deleted_at IS NULL AND published_at IS NOT NULL AND published_at <= now()`;

export interface PublishedPageRow {
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

export interface AncestorRow {
  id: string;
  slug: string;
  title: JsonValue;
  live: boolean;
  depth: number;
  parent_id: string | null;
}

export interface LivePageRow {
  id: string;
  parent_id: string | null;
  slug: string;
  title: JsonValue;
  updated_at: Date | string;
}

export async function liveBySlug(db: Kysely<DB>, slug: string): Promise<PublishedPageRow | undefined> {
  const { rows } = await sql<PublishedPageRow>`
    SELECT id, slug, parent_id, title, content, excerpt, blocks, meta_title, meta_description, meta_keywords,
           og_image, canonical_url, published_at, updated_at, version
    FROM pages WHERE slug = ${slug} AND ${LIVE}`.execute(db);
  return rows[0];
}

/** The pages above `parentId`, nearest first, each saying whether it is live; at most `maxDepth` of them. */
export async function ancestorsOf(
  db: Kysely<DB>,
  parentId: string,
  maxDepth: number,
): Promise<AncestorRow[]> {
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
      WHERE up.depth < ${maxDepth}
    )
    SELECT id, parent_id, slug, title, live, depth FROM up ORDER BY depth`.execute(db);
  return rows;
}

/** When the next page published for a later time becomes live. */
export async function nextPublication(db: Kysely<DB>): Promise<Date | undefined> {
  const { rows } = await sql<{ at: Date | string | null }>`
    SELECT min(published_at) AS at FROM pages
    WHERE status = 'published' AND deleted_at IS NULL AND published_at > now()`.execute(db);
  const at = rows[0]?.at;
  return at ? new Date(at) : undefined;
}

/** Every live page (its parents aside), by sort_order then slug. */
export async function livePages(db: Kysely<DB>): Promise<LivePageRow[]> {
  const { rows } = await sql<LivePageRow>`
    SELECT id, parent_id, slug, title, updated_at FROM pages WHERE ${LIVE}
    ORDER BY sort_order, slug`.execute(db);
  return rows;
}

/** The live pages directly under `parentId` (null: the top level), by sort_order then slug; at most `limit`. */
export async function liveChildren(
  db: Kysely<DB>,
  parentId: string | null,
  limit: number,
): Promise<LivePageRow[]> {
  const { rows } = await sql<LivePageRow>`
    SELECT id, parent_id, slug, title, updated_at FROM pages
    WHERE ${parentId === null ? sql`parent_id IS NULL` : sql`parent_id = ${parentId}`} AND ${LIVE}
    ORDER BY sort_order, slug LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * The live pages under each of `parentIds`, at most `limit` under each, by sort_order then slug: one index
 * range (idx_pages_children) per parent, however many pages a parent has.
 */
export async function liveChildrenOfEach(
  db: Kysely<DB>,
  parentIds: readonly string[],
  limit: number,
): Promise<LivePageRow[]> {
  if (parentIds.length === 0) return [];
  const { rows } = await sql<LivePageRow>`
    SELECT c.id, c.parent_id, c.slug, c.title, c.updated_at
    FROM unnest(${[...parentIds]}::uuid[]) WITH ORDINALITY AS parent(id, n)
    CROSS JOIN LATERAL (
      SELECT id, parent_id, slug, title, updated_at, sort_order FROM pages
      WHERE parent_id = parent.id AND ${LIVE}
      ORDER BY sort_order, slug LIMIT ${limit}
    ) c
    ORDER BY parent.n, c.sort_order, c.slug`.execute(db);
  return rows;
}

/** How many live pages are directly under each of `parentIds` (null: the top level); absent ones have none. */
export async function liveChildCounts(
  db: Kysely<DB>,
  parentIds: readonly (string | null)[],
): Promise<Map<string | null, number>> {
  const ids = parentIds.filter((id): id is string => id !== null);
  const counts = new Map<string | null, number>();
  if (ids.length > 0) {
    const { rows } = await sql<{ parent_id: string; n: number }>`
      SELECT parent_id, count(*)::int AS n FROM pages
      WHERE parent_id = ANY(${ids}::uuid[]) AND ${LIVE} GROUP BY parent_id`.execute(db);
    for (const row of rows) counts.set(row.parent_id, row.n);
  }
  if (parentIds.includes(null)) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pages WHERE parent_id IS NULL AND ${LIVE}`.execute(db);
    counts.set(null, rows[0]?.n ?? 0);
  }
  return counts;
}
