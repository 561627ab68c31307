import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { MediaUsage } from '../media/index.ts';
import { consultantsWithPhoto } from './repository.ts';
import { mediaPhotoUrl } from './service.ts';

/**
 * Where a medium is a consultant's photo (photo_url `/api/v1/media/<id>/file`), for the media library's
 * where-used list and delete check. The usage shape is the pages': the consultant's id stands in `page_id`, its
 * name in `title`, `status` says whether the consultant is live or in the trash, and `where` is `consultant.photo`.
 */
export async function consultantUsagesOf(mediaId: string, executor: Kysely<DB>): Promise<MediaUsage[]> {
  const rows = await consultantsWithPhoto(executor, mediaPhotoUrl(mediaId));
  return rows.map((c) => {
    const name = `${c.first_name} ${c.last_name}`;
    return {
      page_id: c.id,
      slug: '',
      status: c.deleted_at ? 'deleted' : 'live',
      title: { en: name, de: name },
      where: 'consultant.photo',
      block_type: null,
    };
  });
}
