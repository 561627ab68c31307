import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { pgError } from '../../platform/db/errors.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, assertThat, staleVersion } from '../../platform/http/errors.ts';
import { tokenDigest } from '../../platform/security/tokens.ts';
import { isTimeZone } from '../../platform/time-zone.ts';
import type { Locale } from '../../platform/i18n/index.ts';
import { availabilityError, type SlotsAnswer, type SlotsQuery } from '../availability/index.ts';
import { findConsultantCard, lockConsultant, setConsultantFigures } from '../consultants/index.ts';
import type { SettingsReader } from '../settings/index.ts';
import type { BookingsContext } from './context.ts';
import type { BookingEffects } from './effects.ts';
import { bookingError } from './errors.ts';
import { jitsiUrl, verifiedBookingId, type LinkPurpose } from './links.ts';
import { bookingInvite } from './mail.ts';
import { mailContext } from './notifications.ts';
import {
  assertChangeable,
  assertFeedbackOpen,
  calendarConnected,
  changeDeadline,
  outcomeChanges,
  type ChangedBy,
  type Outcome,
} from './policy.ts';
import {
  blockingBetween,
  consultantFigures,
  findBooking,
  findIdempotencyKey,
  findLiveBooking,
  insertBooking,
  insertIdempotencyKey,
  lockLiveBooking,
  setIdempotencyBooking,
  updateBooking,
  type BookingRow,
} from './repository/index.ts';
import type {
  BookingAnswer,
  BookingRequest,
  FeedbackAnswer,
  FeedbackBody,
  FeedbackView,
  ManageView,
} from './schemas.ts';
import { bookingAnswer, feedbackAnswer, feedbackView, manageView } from './views.ts';

/** Unambiguous to read aloud or type: no 0/O, 1/I/L. */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const REFERENCE_ATTEMPTS = 8;

export interface BookingServiceDeps extends BookingsContext {
  /** What a change owes the outside world (mails, reminder, calendar, CRM), enqueued in its transaction. */
  effects: BookingEffects;
}

/** A reference such as VLT-20261201-K7Q2: the start's UTC date and four random characters. */
export function bookingReference(start: Date): string {
  const date = start.toISOString().slice(0, 10).replaceAll('-', '');
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += REFERENCE_ALPHABET.charAt(randomInt(REFERENCE_ALPHABET.length));
  return `VLT-${date}-${suffix}`;
}

/** A digest of the request independent of the order of its keys. */
function requestDigest(body: BookingRequest): string {
  const canonical = JSON.stringify(
    Object.fromEntries(
      Object.entries(body as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * A consultant's figures from their bookings, recomputed (not incremented, so they cannot drift). The lock comes
 * first, in a statement of its own: the sums are then read after any concurrent change committed (in READ
 * COMMITTED each statement sees what was committed when it started).
 */
async function refreshConsultantFigures(trx: Transaction<DB>, consultantId: string): Promise<void> {
  await lockConsultant(trx, consultantId);
  const { completed, rating } = await consultantFigures(trx, consultantId);
  await setConsultantFigures(trx, consultantId, { total_bookings: completed, average_rating: rating });
}

/** A booking's life: booked by a client, changed through the client's link or by staff, rated after it. */
export class BookingService {
  constructor(private readonly deps: BookingServiceDeps) {}

  /**
   * Books a slot. The slot is re-checked inside the transaction against what the availability engine offers;
   * ex_bookings_no_overlap is the last word when two requests race for it (409 bookings.slot_taken).
   * With an idempotency key, a retry answers the first booking (created: false) instead of booking again.
   */
  async create(
    body: BookingRequest,
    actor: AuditActor,
    idempotencyKey?: string,
  ): Promise<{ created: boolean; booking: BookingAnswer }> {
    assertThat(body.privacy_consent, () => bookingError('bookings.privacy_consent_required'));
    if (!isTimeZone(body.timezone)) {
      throw availabilityError('availability.invalid_timezone', { tz: body.timezone });
    }
    const start = new Date(body.start);
    assertThat(!Number.isNaN(start.getTime()), () => bookingError('bookings.slot_unavailable'));

    const key = idempotencyKey === undefined ? null : tokenDigest(idempotencyKey);
    const digest = requestDigest(body);
    if (key) {
      const replay = await this.replay(key, digest);
      if (replay) return { created: false, booking: replay };
    }

    const settings = await this.deps.settings.snapshot();
    await this.calendarCheck(settings, body, start);
    try {
      const booking = await writeTransaction(this.deps.db, actor, async (trx) => {
        if (key) await insertIdempotencyKey(trx, key, digest);
        await lockConsultant(trx, body.consultant_id);
        await this.recheck(trx, settings, body, start, { calendar: false });
        const row = await this.insert(trx, settings, body, start);
        await this.deps.effects.run({ change: 'created', booking: row, trx, settings });
        if (key) await setIdempotencyBooking(trx, key, row.id);
        return row;
      });
      return { created: true, booking: bookingAnswer(booking, this.deps) };
    } catch (error) {
      const { code, constraint } = pgError(error);
      if (code === '23P01') throw bookingError('bookings.slot_taken');
      if (
        key &&
        code === '23505' &&
        (constraint === undefined || constraint === 'booking_idempotency_keys_pkey')
      ) {
        // A concurrent request with the same key committed first: answer as it did.
        const replay = await this.replay(key, digest);
        if (replay) return { created: false, booking: replay };
      }
      throw error;
    }
  }

  private async replay(key: string, digest: string): Promise<BookingAnswer | null> {
    const stored = await findIdempotencyKey(this.deps.db, key);
    if (!stored) return null;
    if (stored.request_digest !== digest) throw bookingError('bookings.idempotency_key_reused');
    if (!stored.booking_id) return null;
    const booking = await findBooking(this.deps.db, stored.booking_id);
    if (!booking) throw new Error(`booking ${stored.booking_id} of an idempotency key is gone`);
    return bookingAnswer(booking, this.deps);
  }

  /**
   * With the consultant's Google Calendar connected, the slot is checked against it before the transaction:
   * no database connection waits while Google answers (on PGlite the one connection would), and the calls'
   * integration log rows are not rolled back with a refused booking. The transaction then re-checks without it.
   */
  private async calendarCheck(
    settings: SettingsReader,
    body: { consultant_id: string; duration: number },
    start: Date,
    excludeBookingId?: string,
  ): Promise<void> {
    if (!(await calendarConnected(this.deps.db, settings, body.consultant_id))) return;
    await this.recheck(this.deps.db, settings, body, start, {
      calendar: true,
      ...(excludeBookingId ? { excludeBookingId } : {}),
    });
  }

  /** The start must be one the availability engine offers now, read through `executor`. */
  private async recheck(
    executor: Kysely<DB>,
    settings: SettingsReader,
    body: { consultant_id: string; duration: number },
    start: Date,
    options: { calendar: boolean; excludeBookingId?: string },
  ): Promise<void> {
    const { excludeBookingId } = options;
    const day = start.toISOString().slice(0, 10);
    let offered;
    try {
      offered = await this.deps.availability.slots(
        body.consultant_id,
        { from: day, to: day, duration: body.duration as BookingRequest['duration'], tz: 'UTC' },
        {
          db: executor,
          settings,
          calendar: options.calendar,
          ...(excludeBookingId ? { excludeBookingId } : {}),
        },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'availability.consultant_not_found') {
        throw bookingError('bookings.consultant_not_found');
      }
      throw error;
    }
    const iso = start.toISOString();
    if (offered.slots.some((s) => s.start_utc === iso)) return;
    // Not offered: because a booking (with its buffer) took it, or because it never was a bookable time.
    const buffer = (await settings.get('booking.buffer_minutes')) * 60_000;
    const taken = await blockingBetween(
      executor,
      body.consultant_id,
      { start: start.getTime() - buffer, end: start.getTime() + body.duration * 60_000 + buffer },
      excludeBookingId,
    );
    throw taken.length > 0 ? bookingError('bookings.slot_taken') : bookingError('bookings.slot_unavailable');
  }

  private async insert(
    trx: Transaction<DB>,
    settings: SettingsReader,
    body: BookingRequest,
    start: Date,
  ): Promise<BookingRow> {
    // With the consultant's Google Calendar connected, the calendar sync gives a video meeting its Meet link.
    const meetingUrl =
      body.meeting_type === 'video' && !(await calendarConnected(trx, settings, body.consultant_id))
        ? jitsiUrl(await settings.get('booking.meeting_base_url'))
        : null;
    for (let attempt = 1; attempt <= REFERENCE_ATTEMPTS; attempt++) {
      const row = await insertBooking(trx, {
        reference: bookingReference(start),
        consultant_id: body.consultant_id,
        datetime: start,
        duration: body.duration,
        timezone: body.timezone,
        meeting_type: body.meeting_type,
        client_first_name: body.client_first_name,
        client_last_name: body.client_last_name,
        client_email: body.client_email,
        client_phone: body.client_phone ?? null,
        client_company: body.client_company ?? null,
        message: body.message ?? null,
        meeting_url: meetingUrl,
        language: body.language,
        privacy_consent_at: this.deps.clock(),
        status: 'confirmed',
        booking_source: 'website',
      });
      if (row) return row;
    }
    throw new Error(`no free booking reference after ${String(REFERENCE_ATTEMPTS)} attempts`);
  }

  // ----- the client's links ----------------------------------------------------------------------------------

  /** The booking a token names; a tampered, malformed or unknown token is one and the same 404. */
  private async byToken(purpose: LinkPurpose, token: string): Promise<BookingRow> {
    const id = verifiedBookingId(this.deps.appSecret, purpose, token);
    const row = id ? await findLiveBooking(this.deps.db, id) : undefined;
    assertThat(row, () => bookingError('bookings.invalid_link'));
    return row;
  }

  private async consultantOf(booking: BookingRow) {
    // A consultant deleted later still names the meeting the client had with them.
    const consultant = await findConsultantCard(this.deps.db, booking.consultant_id);
    if (!consultant) throw new Error(`consultant ${booking.consultant_id} of booking ${booking.id} is gone`);
    return consultant;
  }

  private async manageViewOf(booking: BookingRow): Promise<ManageView> {
    const deadline = await changeDeadline(booking, this.deps.settings);
    return manageView(booking, await this.consultantOf(booking), { now: this.deps.clock(), deadline });
  }

  /** What the client sees behind the manage link. */
  async manage(token: string): Promise<ManageView> {
    return this.manageViewOf(await this.byToken('manage', token));
  }

  /** The client cancels through the manage link (until the cut-off). */
  async cancelByClient(token: string, reason: string | undefined, actor: AuditActor): Promise<ManageView> {
    const found = await this.byToken('manage', token);
    return this.manageViewOf(await this.cancel(found.id, { by: 'client', actor, reason }));
  }

  /** The client moves the booking through the manage link (until the cut-off). */
  async rescheduleByClient(token: string, start: string, actor: AuditActor): Promise<ManageView> {
    const found = await this.byToken('manage', token);
    return this.manageViewOf(await this.reschedule(found.id, { by: 'client', actor, start }));
  }

  /**
   * The times the booking behind a manage link could move to: the slots of its consultant for its duration
   * between two local dates in `tz`, its own time not blocking them (as the move itself checks).
   */
  async moveSlots(token: string, query: { from: string; to: string; tz: string }): Promise<SlotsAnswer> {
    const booking = await this.byToken('manage', token);
    return this.deps.availability.slots(
      booking.consultant_id,
      { ...query, duration: booking.duration as SlotsQuery['duration'] },
      { excludeBookingId: booking.id },
    );
  }

  /**
   * The booking behind a manage link as an iCalendar file for the client's calendar: the very invite of the
   * mails (same UID and SEQUENCE), so the mails' later changes update the entry it makes.
   */
  async calendarFile(token: string, locale: Locale): Promise<{ reference: string; ics: string }> {
    const booking = await this.byToken('manage', token);
    const context = await mailContext(this.deps, this.deps.db, booking);
    const { content } = bookingInvite(context, locale, false);
    return {
      reference: booking.reference,
      ics: typeof content === 'string' ? content : content.toString('utf8'),
    };
  }

  /** What the client sees behind the feedback link. */
  async feedback(token: string): Promise<FeedbackView> {
    const booking = await this.byToken('feedback', token);
    return feedbackView(booking, await this.consultantOf(booking));
  }

  /** The client's rating (1–5) and words on a completed meeting; given once. */
  async giveFeedback(body: FeedbackBody, actor: AuditActor): Promise<FeedbackAnswer> {
    const found = await this.byToken('feedback', body.token);
    const booking = await writeTransaction(this.deps.db, actor, async (trx) => {
      const previous = await this.lock(trx, found.id);
      assertFeedbackOpen(previous);
      const rated = await updateBooking(trx, previous.id, {
        client_rating: body.rating,
        client_feedback: body.text ?? null,
        feedback_at: this.deps.clock(),
      });
      await refreshConsultantFigures(trx, rated.consultant_id);
      return rated;
    });
    return feedbackAnswer(booking, body.rating);
  }

  // ----- changes ---------------------------------------------------------------------------------------------

  /**
   * Cancels a confirmed booking: the client until the cut-off, staff at any time before it ends. The invite's
   * sequence grows (the CANCEL replaces it in calendars) and the effects drop the reminder and the event.
   */
  async cancel(
    id: string,
    options: { by: ChangedBy; actor: AuditActor; reason?: string | undefined; version?: number | undefined },
  ): Promise<BookingRow> {
    const settings = await this.deps.settings.snapshot();
    return writeTransaction(this.deps.db, options.actor, async (trx) => {
      const previous = await this.lockChangeable(trx, settings, id, options.by, options.version);
      const booking = await updateBooking(trx, id, {
        status: 'cancelled',
        cancelled_at: this.deps.clock(),
        cancelled_by: options.by,
        cancellation_reason: options.reason ?? null,
        sequence: previous.sequence + 1,
      });
      await this.deps.effects.run({ change: 'cancelled', booking, previous, trx, settings });
      return booking;
    });
  }

  /**
   * Moves a confirmed booking to another start the slots offer (its own time does not block it), keeping its
   * duration. The invite's sequence grows, the reminder moves and the calendar event follows.
   */
  async reschedule(
    id: string,
    options: { by: ChangedBy; actor: AuditActor; start: string; version?: number | undefined },
  ): Promise<BookingRow> {
    const start = new Date(options.start);
    assertThat(!Number.isNaN(start.getTime()), () => bookingError('bookings.slot_unavailable'));
    const settings = await this.deps.settings.snapshot();
    const current = await findBooking(this.deps.db, id);
    if (current) await this.calendarCheck(settings, current, start, id);
    try {
      return await writeTransaction(this.deps.db, options.actor, async (trx) => {
        const previous = await this.lockChangeable(trx, settings, id, options.by, options.version);
        assertThat(start.getTime() !== previous.datetime.getTime(), () => bookingError('bookings.same_time'));
        await lockConsultant(trx, previous.consultant_id);
        await this.recheck(
          trx,
          settings,
          { consultant_id: previous.consultant_id, duration: previous.duration },
          start,
          { excludeBookingId: id, calendar: false },
        );
        const booking = await updateBooking(trx, id, {
          datetime: start,
          sequence: previous.sequence + 1,
          reminder_sent_at: null,
        });
        await this.deps.effects.run({ change: 'rescheduled', booking, previous, trx, settings });
        return booking;
      });
    } catch (error) {
      if (pgError(error).code === '23P01') throw bookingError('bookings.slot_taken');
      throw error;
    }
  }

  /** Staff record how a meeting went, once it has ended: completed (the client is asked for feedback) or no-show. */
  async setOutcome(
    id: string,
    outcome: Outcome,
    options: { actor: AuditActor; version?: number | undefined },
  ): Promise<BookingRow> {
    const settings = await this.deps.settings.snapshot();
    return writeTransaction(this.deps.db, options.actor, async (trx) => {
      const previous = await this.lock(trx, id);
      if (options.version !== undefined && options.version !== previous.version) {
        throw staleVersion(previous.version);
      }
      if (!outcomeChanges(previous, outcome, this.deps.clock())) return previous;
      const booking = await updateBooking(trx, id, { status: outcome });
      await refreshConsultantFigures(trx, booking.consultant_id);
      await this.deps.effects.run({ change: outcome, booking, previous, trx, settings });
      return booking;
    });
  }

  /** Locks a live booking for a change. */
  private async lock(trx: Transaction<DB>, id: string): Promise<BookingRow> {
    const row = await lockLiveBooking(trx, id);
    assertThat(row, () => bookingError('bookings.not_found'));
    return row;
  }

  /** Locks a booking that may still be cancelled or moved by `by`. */
  private async lockChangeable(
    trx: Transaction<DB>,
    settings: SettingsReader,
    id: string,
    by: ChangedBy,
    version: number | undefined,
  ): Promise<BookingRow> {
    const row = await this.lock(trx, id);
    await assertChangeable(row, { by, version, now: this.deps.clock(), settings });
    return row;
  }
}
