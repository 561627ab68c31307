import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import { containsPattern } from '../../platform/db/errors.ts';
import type { DB, MediaFiles } from '../../platform/db/schema.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { MediaListQuery } from './schemas.ts';

/** Every query of media_files. */

export type MediaRow = Selectable<MediaFiles>;

export function listMedia(db: Kysely<DB>, query: MediaListQuery): Promise<Page<MediaRow>> {
  let base = db.selectFrom('media_files');
  const deleted = query.deleted ?? 'exclude';
  if (deleted === 'exclude') base = base.where('deleted_at', 'is', null);
  if (deleted === 'only') base = base.where('deleted_at', 'is not', null);
  if (query.type === 'document') {
    base = base.where((eb) =>
      eb.and([
        eb('mime_type', 'not like', 'image/%'),
        eb('mime_type', 'not like', 'audio/%'),
        eb('mime_type', 'not like', 'video/%'),
      ]),
    );
  } else if (query.type) base = base.where('mime_type', 'like', `${query.type}/%`);
  if (query.mime_type) base = base.where('mime_type', '=', query.mime_type);
  if (query.folder !== undefined) base = base.where('folder', '=', query.folder);
  if (query.tag) base = base.where(sql<boolean>`tags @> ARRAY[${query.tag}]::text[]`);
  if (query.q) {
    const like = containsPattern(query.q);
    base = base.where((eb) =>
      eb.or([
        eb('original_filename', 'ilike', like),
        eb(sql`title->>'en'`, 'ilike', like),
        eb(sql`title->>'de'`, 'ilike', like),
        eb(sql`alt_text->>'en'`, 'ilike', like),
        eb(sql`alt_text->>'de'`, 'ilike', like),
        eb(sql`caption->>'en'`, 'ilike', like),
        eb(sql`caption->>'de'`, 'ilike', like),
      ]),
    );
  }
  return fetchPage(
    base.selectAll().orderBy('created_at', 'desc').orderBy('id'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    query,
    (row) => row,
  );
}

/** One item by id; `live`: only when not deleted. */
export function findMedia(db: Kysely<DB>, id: string, live = false): Promise<MediaRow | undefined> {
  let query = db.selectFrom('media_files').selectAll().where('id', '=', id);
  if (live) query = query.where('deleted_at', 'is', null);
  return query.executeTakeFirst();
}

/** The live item holding exactly these bytes. */
export function liveMediaByHash(db: Kysely<DB>, hash: string): Promise<MediaRow | undefined> {
  return db
    .selectFrom('media_files')
    .selectAll()
    .where('file_hash', '=', hash)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The type of a live item, or undefined when there is none with this id. */
export async function liveMediaMimeType(db: Kysely<DB>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('media_files')
    .select('mime_type')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.mime_type;
}

/** Which of `ids` are live items. */
export async function liveMediaIds(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('media_files')
    .select('id')
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The live items among `ids` (at most a page's worth: the caller asks for what one page shows). */
export function liveMediaRows(db: Kysely<DB>, ids: string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('media_files')
    .selectAll()
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
}

export function insertMedia(trx: Transaction<DB>, values: Insertable<MediaFiles>): Promise<MediaRow> {
  return trx.insertInto('media_files').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Locks an item for a change; its version and whether it is deleted. */
export function lockMedia(
  trx: Transaction<DB>,
  id: string,
): Promise<{ id: string; version: number; deleted_at: Date | null } | undefined> {
  return trx
    .selectFrom('media_files')
    .select(['id', 'version', 'deleted_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateMedia(
  trx: Transaction<DB>,
  id: string,
  changes: Updateable<MediaFiles>,
): Promise<MediaRow> {
  return trx
    .updateTable('media_files')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function softDeleteMedia(trx: Transaction<DB>, id: string, at: Date): Promise<void> {
  await trx.updateTable('media_files').set({ deleted_at: at }).where('id', '=', id).execute();
}

/** The WebP variants of an item (a JSON array of {width, height, size, key}). */
export async function setMediaVariants(trx: Transaction<DB>, id: string, variants: unknown[]): Promise<void> {
  await trx
    .updateTable('media_files')
    .set({ variants: JSON.stringify(variants) })
    .where('id', '=', id)
    .execute();
}
