import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { assertThat, staleVersion } from '../../platform/http/errors.ts';
import { formatLocal } from '../availability/index.ts';
import { findConsultantCard } from '../consultants/index.ts';
import type { SettingsReader } from '../settings/index.ts';
import { bookingError } from './errors.ts';
import type { BookingRow } from './repository/index.ts';

/** The rules of a booking's life: who may change it until when, and which transitions there are. */

/** Who changes a booking: the client through the manage link (bound by the cut-off), or staff. */
export type ChangedBy = 'client' | 'staff';

export type Outcome = 'completed' | 'no_show';

/** Until when the client may still cancel or move this booking themselves. */
export async function changeDeadline(booking: BookingRow, settings: SettingsReader): Promise<Date> {
  const hours = await settings.get('booking.cancellation_cutoff_hours');
  return new Date(booking.datetime.getTime() - hours * 3_600_000);
}

/** Whether the client may still cancel or move it: confirmed, not over, before the deadline. */
export function clientCanChange(booking: BookingRow, now: Date, deadline: Date): boolean {
  return booking.status === 'confirmed' && now < booking.ends_at && now < deadline;
}

/**
 * A booking `by` may still cancel or move: of this version (when given), confirmed, not over, and for the client
 * before the cut-off (named in the client's own zone, as a person reads it: 2026-11-30 09:00 (Europe/Berlin)).
 */
export async function assertChangeable(
  booking: BookingRow,
  options: { by: ChangedBy; version: number | undefined; now: Date; settings: SettingsReader },
): Promise<void> {
  const { now } = options;
  if (options.version !== undefined && options.version !== booking.version) {
    throw staleVersion(booking.version);
  }
  assertThat(booking.status === 'confirmed', () =>
    bookingError('bookings.not_confirmed', { status: booking.status }),
  );
  assertThat(now < booking.ends_at, () => bookingError('bookings.already_over'));
  if (options.by !== 'client') return;
  const deadline = await changeDeadline(booking, options.settings);
  if (now >= deadline) {
    const local = formatLocal(deadline.getTime(), booking.timezone);
    const readable = `${local.slice(0, 10)} ${local.slice(11, 16)} (${booking.timezone})`;
    throw bookingError('bookings.cutoff_passed', { deadline: readable });
  }
}

/**
 * Whether staff may record `outcome` now: a confirmed booking once it has ended, or an outcome corrected before
 * the client rated the meeting. False: it has this outcome already (nothing to do).
 */
export function outcomeChanges(booking: BookingRow, outcome: Outcome, now: Date): boolean {
  if (booking.status === outcome) return false;
  assertThat(
    booking.status === 'confirmed' || booking.status === 'no_show' || booking.status === 'completed',
    () => bookingError('bookings.not_confirmed', { status: booking.status }),
  );
  assertThat(booking.status === 'confirmed' || !booking.feedback_at, () =>
    bookingError('bookings.feedback_given'),
  );
  assertThat(now >= booking.ends_at, () =>
    bookingError('bookings.not_ended', { end: booking.ends_at.toISOString() }),
  );
  return true;
}

/** The client may rate a completed meeting, once. */
export function assertFeedbackOpen(booking: BookingRow): void {
  assertThat(booking.status === 'completed', () => bookingError('bookings.feedback_not_open'));
  assertThat(!booking.feedback_at, () => bookingError('bookings.feedback_given'));
}

/** Whether a consultant's bookings go to Google Calendar: Google is on and the consultant has a calendar id. */
export async function calendarConnected(
  db: Kysely<DB>,
  settings: SettingsReader,
  consultantId: string,
): Promise<boolean> {
  if (!(await settings.get('google.enabled'))) return false;
  const consultant = await findConsultantCard(db, consultantId);
  return hasCalendar(settings, consultant?.google_calendar_id ?? null);
}

/** calendarConnected for a consultant already read. */
export async function hasCalendar(
  settings: SettingsReader,
  googleCalendarId: string | null,
): Promise<boolean> {
  return Boolean(googleCalendarId) && (await settings.get('google.enabled'));
}
