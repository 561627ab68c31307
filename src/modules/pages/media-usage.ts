import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { MediaUsage } from '../media/index.ts';
import { pagesReferencingMedia } from './repository/media-usage.ts';

/**
 * The pages' answer to the media library's "where is this item used?": once per page and place (og_image,
 * content, blocks[i] with the block's type).
 */
export async function pageUsagesOf(mediaId: string, executor: Kysely<DB>): Promise<MediaUsage[]> {
  const rows = await pagesReferencingMedia(executor, mediaId);
  const usages: MediaUsage[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const base = { page_id: r.id, slug: r.slug, status: r.status, title: r.title };
    const once = (where: string, blockType: string | null) => {
      const key = `${r.id} ${where}`;
      if (seen.has(key)) return;
      seen.add(key);
      usages.push({ ...base, where, block_type: blockType });
    };
    if (r.in_og) once('og_image', null);
    if (r.in_content) once('content', null);
    if (r.block_index !== null) once(`blocks[${String(r.block_index)}]`, r.block_type);
    else if (r.in_blocks) once('blocks', null);
  }
  return usages;
}
