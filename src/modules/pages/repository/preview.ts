import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import type { PublishedPageRow } from './published.ts';

/** A page that is not deleted, whatever its status, with what the site renders of it (a preview). */
export function pageForPreview(db: Kysely<DB>, id: string): Promise<PublishedPageRow | undefined> {
  return db
    .selectFrom('pages')
    .select([
      'id',
      'slug',
      'parent_id',
      'title',
      'content',
      'excerpt',
      'blocks',
      'meta_title',
      'meta_description',
      'meta_keywords',
      'og_image',
      'canonical_url',
      'published_at',
      'updated_at',
      'version',
    ])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
