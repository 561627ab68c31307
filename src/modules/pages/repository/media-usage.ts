import { sql, type Kysely } from 'kysely';
import type { DB, JsonValue } from '../../../platform/db/schema.ts';

export interface MediaReferenceRow {
  id: string;
  slug: string;
  status: string;
  title: JsonValue;
  in_og: boolean;
  in_content: boolean;
  block_index: number | null;
  block_type: string | null;
  in_blocks: boolean;
}

/**
 * Live pages that reference a media item: its id anywhere in `blocks` (any block type, any depth: `media_id`,
 * `items[].media_id`, …), in `og_image` (the id or a URL holding it), or in the text of `content`; one row per
 * block that holds it, by slug and block.
 */
export async function pagesReferencingMedia(db: Kysely<DB>, mediaId: string): Promise<MediaReferenceRow[]> {
  const vars = sql`jsonb_build_object('id', ${mediaId}::text)`;
  const pattern = `%${mediaId}%`;
  const { rows } = await sql<MediaReferenceRow>`
    SELECT p.id, p.slug, p.status, p.title,
           COALESCE(p.og_image LIKE ${pattern}, false) AS in_og,
           COALESCE(p.content::text LIKE ${pattern}, false) AS in_content,
           COALESCE(jsonb_path_exists(p.blocks, '$.** ? (@ == $id)', ${vars}), false) AS in_blocks,
           b.block_index, b.block_type
    FROM pages p
    LEFT JOIN LATERAL (
      SELECT (e.ordinality - 1)::int AS block_index, e.value->>'type' AS block_type
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.blocks) = 'array' THEN p.blocks ELSE '[]'::jsonb END)
           WITH ORDINALITY AS e
      WHERE jsonb_path_exists(e.value, '$.** ? (@ == $id)', ${vars})
    ) b ON true
    WHERE p.deleted_at IS NULL
      AND (p.og_image LIKE ${pattern}
           OR p.content::text LIKE ${pattern}
           OR jsonb_path_exists(p.blocks, '$.** ? (@ == $id)', ${vars}))
    ORDER BY p.slug, b.block_index`.execute(db);
  return rows;
}
