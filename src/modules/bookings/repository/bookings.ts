import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Bookings, DB } from '../../../platform/db/schema.ts';

/** A booking as the table holds it. */
export type BookingRow = Selectable<Bookings>;

/** Statuses of a booking that keep its time taken (the schema knows no 'pending'). */
export const BLOCKING_STATUSES = ['confirmed'] as const;

export function findBooking(db: Kysely<DB>, id: string): Promise<BookingRow | undefined> {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A booking not soft-deleted. */
export function findLiveBooking(db: Kysely<DB>, id: string): Promise<BookingRow | undefined> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** A live booking, locked for a change for the rest of the transaction. */
export function lockLiveBooking(trx: Transaction<DB>, id: string): Promise<BookingRow | undefined> {
  return trx
    .selectFrom('bookings')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Inserts a booking unless its reference is taken (then: undefined, and the caller draws another). ON CONFLICT
 * names the reference only, so an overlap with another booking still raises 23P01.
 */
export function insertBooking(
  trx: Transaction<DB>,
  values: Insertable<Bookings>,
): Promise<BookingRow | undefined> {
  return trx
    .insertInto('bookings')
    .values(values)
    .onConflict((oc) => oc.column('reference').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Changes a booking and answers it as it is now. */
export function updateBooking(
  trx: Transaction<DB>,
  id: string,
  changes: Updateable<Bookings>,
): Promise<BookingRow> {
  return trx
    .updateTable('bookings')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes a booking, answering nothing. */
export async function setBooking(db: Kysely<DB>, id: string, changes: Updateable<Bookings>): Promise<void> {
  await db.updateTable('bookings').set(changes).where('id', '=', id).execute();
}

/** The blocking bookings of a consultant overlapping [start, end), but `exceptId`; by start. */
export async function blockingBetween(
  db: Kysely<DB>,
  consultantId: string,
  span: { start: number; end: number },
  exceptId?: string,
): Promise<{ start: number; end: number }[]> {
  // Epoch milliseconds as numbers: a slots answer reads hundreds of these, and parsing timestamp text into
  // Dates (postgres-date) was a twentieth of a booking step's time.
  const rows = await db
    .selectFrom('bookings')
    .select([
      sql<number>`(extract(epoch from datetime) * 1000)::float8`.as('start'),
      sql<number>`(extract(epoch from ends_at) * 1000)::float8`.as('end'),
    ])
    .where('consultant_id', '=', consultantId)
    .where('status', 'in', [...BLOCKING_STATUSES])
    .where('deleted_at', 'is', null)
    .where('datetime', '<', new Date(span.end))
    .where('ends_at', '>', new Date(span.start))
    .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId as string))
    .orderBy('datetime')
    .execute();
  return rows.map((b) => ({ start: b.start, end: b.end }));
}

/** The time a booking takes, deleted or not. */
export async function bookingInterval(
  db: Kysely<DB>,
  id: string,
): Promise<{ start: number; end: number } | undefined> {
  const row = await db
    .selectFrom('bookings')
    .select(['datetime', 'ends_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { start: row.datetime.getTime(), end: row.ends_at.getTime() } : undefined;
}

/**
 * A consultant's figures from their bookings: `completed` counts completed meetings, `rating` is the mean of the
 * ratings given (NULL without any), rounded to two places.
 */
export async function consultantFigures(
  db: Kysely<DB>,
  consultantId: string,
): Promise<{ completed: number; rating: string | null }> {
  const result = await sql<{ completed: number; rating: string | null }>`
    SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
           round(avg(client_rating) FILTER (WHERE client_rating IS NOT NULL), 2)::text AS rating
    FROM bookings WHERE consultant_id = ${consultantId} AND deleted_at IS NULL`.execute(db);
  const row = result.rows[0];
  return { completed: row?.completed ?? 0, rating: row?.rating ?? null };
}
