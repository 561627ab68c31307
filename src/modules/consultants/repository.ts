import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { containsPattern } from '../../platform/db/errors.ts';
import type { Consultants, DB } from '../../platform/db/schema.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { ConsultantListQuery } from './schemas.ts';

/** Every query of `consultants`, the table this module owns (the bookings keep its figures through here too). */

export const COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'title',
  'email',
  'phone',
  'photo_url',
  'biography',
  'expertise',
  'linkedin_url',
  'languages',
  'timezone',
  'is_online',
  'is_accepting_bookings',
  'working_hours',
  'holidays',
  'google_calendar_id',
  'odoo_partner_id',
  'total_bookings',
  'average_rating',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'deleted_at',
  'version',
] as const;

const PUBLIC_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'title',
  'photo_url',
  'biography',
  'expertise',
  'languages',
  'linkedin_url',
  'timezone',
  'is_online',
  'is_accepting_bookings',
  'average_rating',
  'total_bookings',
] as const;

export type ConsultantRow = Pick<Selectable<Consultants>, (typeof COLUMNS)[number]>;
export type PublicConsultantRow = Pick<Selectable<Consultants>, (typeof PUBLIC_COLUMNS)[number]>;

/** Staff's list: search, language, accepting bookings, trash; by name. */
export function listConsultants<T>(
  db: Kysely<DB>,
  query: ConsultantListQuery,
  map: (row: ConsultantRow) => T,
): Promise<Page<T>> {
  let base = db.selectFrom('consultants');
  const deleted = query.deleted ?? 'exclude';
  if (deleted === 'exclude') base = base.where('deleted_at', 'is', null);
  if (deleted === 'only') base = base.where('deleted_at', 'is not', null);
  if (query.language) base = base.where(sql<boolean>`${query.language} = ANY(languages)`);
  if (query.is_accepting_bookings !== undefined)
    base = base.where('is_accepting_bookings', '=', query.is_accepting_bookings);
  if (query.q) {
    const like = containsPattern(query.q.trim());
    base = base.where((eb) =>
      eb.or([
        eb('email', 'ilike', like),
        eb('first_name', 'ilike', like),
        eb('last_name', 'ilike', like),
        sql<boolean>`(first_name || ' ' || last_name) ILIKE ${like}`,
        sql<boolean>`EXISTS (SELECT 1 FROM unnest(expertise) AS e(tag) WHERE e.tag ILIKE ${like})`,
      ]),
    );
  }
  return fetchPage(
    base.select(COLUMNS).orderBy('last_name').orderBy('first_name').orderBy('id'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    query,
    map,
  );
}

export function findConsultant(db: Kysely<DB>, id: string): Promise<ConsultantRow | undefined> {
  return db.selectFrom('consultants').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Live consultants as visitors see them, by name. */
export function listPublicConsultants<T>(
  db: Kysely<DB>,
  query: { language?: 'en' | 'de' | undefined; page: number; per_page: number },
  map: (row: PublicConsultantRow) => T,
): Promise<Page<T>> {
  let base = db.selectFrom('consultants').where('deleted_at', 'is', null);
  if (query.language) base = base.where(sql<boolean>`${query.language} = ANY(languages)`);
  return fetchPage(
    base.select(PUBLIC_COLUMNS).orderBy('last_name').orderBy('first_name').orderBy('id'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    query,
    map,
  );
}

export function findPublicConsultant(db: Kysely<DB>, id: string): Promise<PublicConsultantRow | undefined> {
  return db
    .selectFrom('consultants')
    .select(PUBLIC_COLUMNS)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The consultant's row, locked for a change for the rest of the transaction. */
export function lockConsultantRow(trx: Transaction<DB>, id: string): Promise<ConsultantRow | undefined> {
  return trx.selectFrom('consultants').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertConsultant(
  trx: Transaction<DB>,
  values: Updateable<Consultants> & {
    first_name: string;
    last_name: string;
    email: string;
    created_by: string;
    updated_by: string;
  },
): Promise<ConsultantRow> {
  return trx.insertInto('consultants').values(values).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function updateConsultant(
  trx: Transaction<DB>,
  id: string,
  changes: Updateable<Consultants>,
): Promise<void> {
  await trx.updateTable('consultants').set(changes).where('id', '=', id).execute();
}

/** The consultants whose photo is the file of this medium (its where-used). */
export function consultantsWithPhoto(
  db: Kysely<DB>,
  photoUrl: string,
): Promise<{ id: string; first_name: string; last_name: string; deleted_at: Date | null }[]> {
  return db
    .selectFrom('consultants')
    .select(['id', 'first_name', 'last_name', 'deleted_at'])
    .where(sql<boolean>`lower(photo_url) = lower(${photoUrl})`)
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}

/** Takes the photo away from every consultant whose photo is this file (its medium is being deleted). */
export async function clearConsultantPhoto(
  trx: Transaction<DB>,
  photoUrl: string,
  by: string | null,
): Promise<void> {
  await trx
    .updateTable('consultants')
    .set({ photo_url: null, ...(by ? { updated_by: by } : {}) })
    .where(sql<boolean>`lower(photo_url) = lower(${photoUrl})`)
    .execute();
}

// ----- what other modules use (exported through index.ts) -------------------------------------------------------

/** What other modules need of a consultant: their name, how to reach them, their zone and calendar. */
export type ConsultantCard = Pick<
  Selectable<Consultants>,
  'id' | 'first_name' | 'last_name' | 'title' | 'email' | 'timezone' | 'languages' | 'google_calendar_id'
>;

const CARD = [
  'id',
  'first_name',
  'last_name',
  'title',
  'email',
  'timezone',
  'languages',
  'google_calendar_id',
] as const;

/** A consultant's card, deleted ones too: a consultant deleted later still names the meetings they had. */
export function findConsultantCard(db: Kysely<DB>, id: string): Promise<ConsultantCard | undefined> {
  return db.selectFrom('consultants').select(CARD).where('id', '=', id).executeTakeFirst();
}

/** The cards of several consultants (deleted ones too), by id. */
export async function findConsultantCards(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Map<string, ConsultantCard>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('consultants')
    .select(CARD)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** The ids of the consultants with a Google Calendar id (their bookings are synced while Google is on). */
export async function consultantIdsWithCalendar(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('consultants')
    .select('id')
    .where('google_calendar_id', 'is not', null)
    .execute();
  return rows.map((row) => row.id);
}

/** What the slots engine reads of a live consultant. */
export function findSchedule(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('consultants')
    .select(['id', 'timezone', 'working_hours', 'holidays', 'google_calendar_id', 'is_accepting_bookings'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Takes the consultant's row lock for the rest of the transaction: the changes that check the consultant's other
 * bookings (the buffer around each one, the per-day limit) or sum them up take turns per consultant. The
 * exclusion constraint alone only stops overlapping meetings; two back-to-back bookings made at the same moment
 * would each see a free buffer. Booking locks are taken before this one, never after (no deadlock), and the
 * lock does not block inserting bookings that reference the consultant (a foreign key takes KEY SHARE).
 */
export async function lockConsultant(trx: Transaction<DB>, consultantId: string): Promise<void> {
  await trx.selectFrom('consultants').select('id').where('id', '=', consultantId).forNoKeyUpdate().execute();
}

/**
 * Stores a consultant's figures as the bookings computed them: total_bookings (completed meetings) and
 * average_rating (the mean of the ratings given, null without any). Take lockConsultant before reading them.
 */
export async function setConsultantFigures(
  trx: Transaction<DB>,
  consultantId: string,
  figures: { total_bookings: number; average_rating: string | null },
): Promise<void> {
  await trx.updateTable('consultants').set(figures).where('id', '=', consultantId).execute();
}
