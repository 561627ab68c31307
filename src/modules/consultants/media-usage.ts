import type { MediaUsageProvider } from '../media/index.ts';
import { clearConsultantPhoto, consultantsWithPhoto } from './repository.ts';
import { mediaPhotoUrl } from './service.ts';

/**
 * Where a medium is a consultant's photo (photo_url `/api/v1/media/<id>/file`), live or in the trash, for the
 * media library's where-used list and delete check. A confirmed delete of the medium clears those photos (in its
 * transaction, audited as a change by whoever deleted it): a profile never points at a file no longer served.
 */
export const consultantMediaUsage: MediaUsageProvider = {
  kind: 'consultant',
  releasePermission: 'consultants.manage',
  async usages(mediaId, executor) {
    const rows = await consultantsWithPhoto(executor, mediaPhotoUrl(mediaId));
    return rows.map((c) => ({
      id: c.id,
      label: `${c.first_name} ${c.last_name}`,
      status: c.deleted_at ? 'deleted' : 'live',
      where: 'photo_url',
      detail: null,
    }));
  },
  async release(mediaId, trx, actor) {
    await clearConsultantPhoto(trx, mediaPhotoUrl(mediaId), actor.userId ?? null);
  },
};
