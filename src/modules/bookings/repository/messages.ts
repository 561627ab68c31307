import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import type { BookingRow } from './bookings.ts';

// The claims of the booking's mails: each conditional update lets exactly one sender through.

/**
 * Claims a waiting confirmation: stamps confirmation_sent_at of a live, confirmed booking still unconfirmed and
 * gives a video meeting without a link `fallbackUrl`. Undefined when another job claimed it first.
 */
export function claimConfirmation(
  trx: Transaction<DB>,
  bookingId: string,
  now: Date,
  fallbackUrl: string,
): Promise<BookingRow | undefined> {
  return trx
    .updateTable('bookings')
    .set({
      confirmation_sent_at: now,
      meeting_url: sql<
        string | null
      >`COALESCE(meeting_url, CASE WHEN meeting_type = 'video' THEN ${fallbackUrl} END)`,
    })
    .where('id', '=', bookingId)
    .where('confirmation_sent_at', 'is', null)
    .where('status', '=', 'confirmed')
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Claims the reminder of a booking as it was planned (same sequence), confirmed, live, unreminded and still
 * ahead. Undefined when any of that is no longer so.
 */
export function claimReminder(
  trx: Transaction<DB>,
  bookingId: string,
  sequence: number,
  now: Date,
): Promise<BookingRow | undefined> {
  return trx
    .updateTable('bookings')
    .set({ reminder_sent_at: now })
    .where('id', '=', bookingId)
    .where('sequence', '=', sequence)
    .where('status', '=', 'confirmed')
    .where('deleted_at', 'is', null)
    .where('reminder_sent_at', 'is', null)
    .where('datetime', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** Claims the feedback request of a meeting, once: false when it was asked for before. */
export async function claimFeedbackRequest(db: Kysely<DB>, bookingId: string, now: Date): Promise<boolean> {
  const claimed = await db
    .updateTable('bookings')
    .set({ feedback_requested_at: now })
    .where('id', '=', bookingId)
    .where('feedback_requested_at', 'is', null)
    .executeTakeFirst();
  return claimed.numUpdatedRows > 0n;
}
