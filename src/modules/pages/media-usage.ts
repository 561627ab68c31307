import type { MediaUsageProvider, ProvidedUsage } from '../media/index.ts';
import { pagesReferencingMedia } from './repository/media-usage.ts';

/** A page's title for people: the English one (always there), else the slug. */
function labelOf(title: unknown, slug: string): string {
  const en = typeof title === 'object' && title !== null ? (title as { en?: unknown }).en : undefined;
  return typeof en === 'string' && en.trim() !== '' ? en : slug;
}

/**
 * The pages' answer to the media library's "where is this item used?": once per live page and place (og_image,
 * content, blocks[i] with the block's type). A confirmed delete leaves the pages as they are: a block keeps the
 * id (its schema needs one), and the file is no longer served.
 */
export const pageMediaUsage: MediaUsageProvider = {
  kind: 'page',
  async usages(mediaId, executor) {
    const rows = await pagesReferencingMedia(executor, mediaId);
    const usages: ProvidedUsage[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const base = { id: r.id, label: labelOf(r.title, r.slug), status: r.status };
      const once = (where: string, detail: string | null) => {
        const key = `${r.id} ${where}`;
        if (seen.has(key)) return;
        seen.add(key);
        usages.push({ ...base, where, detail });
      };
      if (r.in_og) once('og_image', null);
      if (r.in_content) once('content', null);
      if (r.block_index !== null) once(`blocks[${String(r.block_index)}]`, r.block_type);
      else if (r.in_blocks) once('blocks', null);
    }
    return usages;
  },
};
