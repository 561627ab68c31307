import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';

// What the calendar and Odoo syncs read and mark of a booking.

/** Records that the calendar shows `sequence`, unless the booking moved on meanwhile: false then. */
export async function markCalendarSynced(
  db: Kysely<DB>,
  bookingId: string,
  sequence: number,
): Promise<boolean> {
  const marked = await db
    .updateTable('bookings')
    .set({ calendar_synced_sequence: sequence })
    .where('id', '=', bookingId)
    .where('sequence', '=', sequence)
    .executeTakeFirst();
  return marked.numUpdatedRows > 0n;
}

/** Marks a cancelled booking that never got an event as synced, without a call (if it still has no event). */
export async function markSyncedWithoutEvent(
  db: Kysely<DB>,
  bookingId: string,
  sequence: number,
): Promise<void> {
  await db
    .updateTable('bookings')
    .set({ calendar_synced_sequence: sequence })
    .where('id', '=', bookingId)
    .where('sequence', '=', sequence)
    .where('google_calendar_event_id', 'is', null)
    .execute();
}

/** Gives a booking its video link if it has none yet: false when it had one. */
export async function setMeetingUrlOnce(db: Kysely<DB>, bookingId: string, url: string): Promise<boolean> {
  const set = await db
    .updateTable('bookings')
    .set({ meeting_url: url })
    .where('id', '=', bookingId)
    .where('meeting_url', 'is', null)
    .executeTakeFirst();
  return set.numUpdatedRows > 0n;
}

/**
 * Bookings of the given consultants whose calendar is behind (synced sequence not the current one) that end after
 * `since`, leaving out `exceptIds` (those with a sync job waiting or running); by start, at most `limit`.
 */
export function bookingsOwedSync(
  db: Kysely<DB>,
  options: { consultantIds: string[]; since: Date; exceptIds: string[]; limit: number },
) {
  if (options.consultantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bookings')
    .select(['id', 'sequence', 'status', 'deleted_at', 'google_calendar_event_id'])
    .where(sql<boolean>`calendar_synced_sequence IS DISTINCT FROM sequence`)
    .where('consultant_id', 'in', options.consultantIds)
    .where('ends_at', '>', options.since)
    .$if(options.exceptIds.length > 0, (q) => q.where('id', 'not in', options.exceptIds))
    .orderBy('datetime')
    .limit(options.limit)
    .execute();
}

/** Stores the client's Odoo partner, unless one is stored already. */
export async function setOdooPartner(db: Kysely<DB>, bookingId: string, partnerId: number): Promise<void> {
  await db
    .updateTable('bookings')
    .set({ client_odoo_partner_id: partnerId })
    .where('id', '=', bookingId)
    .where('client_odoo_partner_id', 'is', null)
    .execute();
}
