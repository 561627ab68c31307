import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { SettingsReader, SettingsService } from '../settings/service.ts';
import { integrationConfigs } from '../../platform/integrations/config.ts';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Bookings, DB } from '../../platform/db/schema.ts';
import { AppError, staleVersion } from '../../platform/http/errors.ts';
import { safeEqual, sign, tokenDigest } from '../../platform/security/tokens.ts';
import { sql } from 'kysely';
import type { BookingEffects } from './effects.ts';
import { AvailabilityService, BLOCKING_STATUSES, type AvailabilityDeps } from '../availability/service.ts';
import { formatLocal, isTimeZone } from '../availability/engine.ts';
import { pgError } from '../../platform/db/errors.ts';
import { bookingError } from './errors.ts';
import { availabilityError } from '../availability/errors.ts';

export const MEETING_TYPES = ['video', 'phone', 'in_person'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

/** Unambiguous to read aloud or type: no 0/O, 1/I/L. */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const REFERENCE_ATTEMPTS = 8;
const MANAGE_PURPOSE = 'booking-manage';
const FEEDBACK_PURPOSE = 'booking-feedback';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface BookingRequest {
  consultant_id: string;
  start: string;
  duration: 30 | 60 | 90 | 120;
  meeting_type: MeetingType;
  client_first_name: string;
  client_last_name: string;
  client_email: string;
  client_phone?: string | undefined;
  client_company?: string | undefined;
  message?: string | undefined;
  language: 'en' | 'de';
  privacy_consent: boolean;
  timezone: string;
}

export interface BookingAnswer {
  id: string;
  reference: string;
  consultant_id: string;
  start: string;
  end: string;
  duration: number;
  timezone: string;
  meeting_type: string;
  meeting_url: string | null;
  language: string;
  status: string;
  manage_url: string;
}

export interface BookingDeps extends AvailabilityDeps {
  /** Snapshots are taken before each transaction (see SettingsService.snapshot). */
  settings: Pick<SettingsService, 'get' | 'snapshot'>;
  appSecret: string;
  publicUrl: string;
  /** What a change owes the outside world (mails, reminder, calendar, CRM), enqueued in its transaction. */
  effects: BookingEffects;
}

/** Who changes a booking: the client through the manage link (bound by the cut-off), or staff. */
export type ChangedBy = 'client' | 'staff';

export type BookingRow = Selectable<Bookings>;

/** A reference such as VLT-20261201-K7Q2: the start's UTC date and four random characters. */
export function bookingReference(start: Date): string {
  const date = start.toISOString().slice(0, 10).replaceAll('-', '');
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += REFERENCE_ALPHABET.charAt(randomInt(REFERENCE_ALPHABET.length));
  return `VLT-${date}-${suffix}`;
}

/** The token of a booking's manage link: its id and an HMAC of it, so the link cannot be guessed or altered. */
export function manageToken(secret: string, bookingId: string): string {
  return `${bookingId}.${sign(secret, `${MANAGE_PURPOSE}:${bookingId}`)}`;
}

/** The token of the feedback link sent after a completed meeting (another purpose: not a manage token). */
export function feedbackToken(secret: string, bookingId: string): string {
  return `${bookingId}.${sign(secret, `${FEEDBACK_PURPOSE}:${bookingId}`)}`;
}

/** The booking id a token names, or null when it is malformed or its signature does not match. */
function verifiedId(secret: string, purpose: string, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const id = token.slice(0, dot);
  if (!UUID.test(id)) return null;
  return safeEqual(token.slice(dot + 1), sign(secret, `${purpose}:${id}`)) ? id : null;
}

/** Where the client manages a booking. */
export function manageUrl(publicUrl: string, secret: string, bookingId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/bookings/manage?token=${manageToken(secret, bookingId)}`;
}

/** Where the client rates a completed meeting. */
export function feedbackUrl(publicUrl: string, secret: string, bookingId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/bookings/feedback?token=${feedbackToken(secret, bookingId)}`;
}

/** A digest of the request independent of the order of its keys. */
function requestDigest(body: BookingRequest): string {
  const canonical = JSON.stringify(
    Object.fromEntries(
      Object.entries(body)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  );
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** A generated Jitsi Meet room on the configured base URL: unguessable, nothing to set up. */
export function jitsiUrl(meetingBase: string): string {
  return `${meetingBase.replace(/\/+$/, '')}/Magnetiq-${randomBytes(12).toString('hex')}`;
}

/** Whether a consultant's bookings go to Google Calendar: Google is on and the consultant has a calendar id. */
export async function calendarConnected(
  db: Kysely<DB>,
  settings: SettingsReader,
  consultantId: string,
): Promise<boolean> {
  if (!(await settings.get('google.enabled'))) return false;
  const consultant = await db
    .selectFrom('consultants')
    .select('google_calendar_id')
    .where('id', '=', consultantId)
    .executeTakeFirst();
  return hasCalendar(settings, consultant?.google_calendar_id ?? null);
}

/** calendarConnected for a consultant row already read. */
export async function hasCalendar(
  settings: SettingsReader,
  googleCalendarId: string | null,
): Promise<boolean> {
  return Boolean(googleCalendarId) && (await settings.get('google.enabled'));
}

export class BookingService {
  constructor(private readonly deps: BookingDeps) {}

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
    if (!body.privacy_consent) throw bookingError('bookings.privacy_consent_required');
    if (!isTimeZone(body.timezone)) {
      throw availabilityError('availability.invalid_timezone', { tz: body.timezone });
    }
    const start = new Date(body.start);
    if (Number.isNaN(start.getTime())) throw bookingError('bookings.slot_unavailable');

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
        if (key) {
          await trx
            .insertInto('booking_idempotency_keys')
            .values({ key_digest: key, request_digest: digest })
            .execute();
        }
        await lockConsultant(trx, body.consultant_id);
        await this.recheck(trx, settings, body, start, { calendar: false });
        const row = await this.insert(trx, settings, body, start);
        await this.deps.effects.run({ change: 'created', booking: row, trx, settings });
        if (key) {
          await trx
            .updateTable('booking_idempotency_keys')
            .set({ booking_id: row.id })
            .where('key_digest', '=', key)
            .execute();
        }
        return row;
      });
      return { created: true, booking: this.answer(booking) };
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
    const stored = await this.deps.db
      .selectFrom('booking_idempotency_keys')
      .select(['request_digest', 'booking_id'])
      .where('key_digest', '=', key)
      .executeTakeFirst();
    if (!stored) return null;
    if (stored.request_digest !== digest) throw bookingError('bookings.idempotency_key_reused');
    if (!stored.booking_id) return null;
    const booking = await this.deps.db
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', stored.booking_id)
      .executeTakeFirstOrThrow();
    return this.answer(booking);
  }

  /** The start must be one the availability engine offers now, read within the booking's transaction. */
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

  private async recheck(
    executor: Kysely<DB>,
    settings: SettingsReader,
    body: { consultant_id: string; duration: number },
    start: Date,
    options: { calendar: boolean; excludeBookingId?: string },
  ): Promise<void> {
    const { excludeBookingId } = options;
    const availability = new AvailabilityService({
      ...this.deps,
      db: executor,
      settings,
      configs: integrationConfigs((key: string) => settings.get(key)),
    });
    const day = start.toISOString().slice(0, 10);
    let offered;
    try {
      offered = await availability.slots(body.consultant_id, {
        from: day,
        to: day,
        duration: body.duration,
        tz: 'UTC',
        calendar: options.calendar,
        ...(excludeBookingId ? { excludeBookingId } : {}),
      });
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
    const end = new Date(start.getTime() + body.duration * 60_000 + buffer);
    const taken = await executor
      .selectFrom('bookings')
      .select('id')
      .where('consultant_id', '=', body.consultant_id)
      .where('status', 'in', [...BLOCKING_STATUSES])
      .where('deleted_at', 'is', null)
      .where('datetime', '<', end)
      .where('ends_at', '>', new Date(start.getTime() - buffer))
      .$if(excludeBookingId !== undefined, (q) => q.where('id', '!=', excludeBookingId as string))
      .executeTakeFirst();
    throw taken ? bookingError('bookings.slot_taken') : bookingError('bookings.slot_unavailable');
  }

  private async insert(
    trx: Transaction<DB>,
    settings: SettingsReader,
    body: BookingRequest,
    start: Date,
  ): Promise<Selectable<Bookings>> {
    // With the consultant's Google Calendar connected, the calendar sync gives a video meeting its Meet link.
    const meetingUrl =
      body.meeting_type === 'video' && !(await calendarConnected(trx, settings, body.consultant_id))
        ? jitsiUrl(await settings.get('booking.meeting_base_url'))
        : null;
    for (let attempt = 1; attempt <= REFERENCE_ATTEMPTS; attempt++) {
      // ON CONFLICT on the reference only: a taken reference gives no row (and a new try), while an overlap
      // still raises 23P01.
      const row = await trx
        .insertInto('bookings')
        .values({
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
        })
        .onConflict((oc) => oc.column('reference').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return row;
    }
    throw new Error(`no free booking reference after ${REFERENCE_ATTEMPTS} attempts`);
  }

  /** The booking a manage token names; a tampered, malformed or unknown token is one and the same 404. */
  async byManageToken(token: string): Promise<BookingRow> {
    return this.byToken(MANAGE_PURPOSE, token);
  }

  /** The booking a feedback token names (404 as for manage tokens). */
  async byFeedbackToken(token: string): Promise<BookingRow> {
    return this.byToken(FEEDBACK_PURPOSE, token);
  }

  private async byToken(purpose: string, token: string): Promise<BookingRow> {
    const id = verifiedId(this.deps.appSecret, purpose, token);
    const row = id
      ? await this.deps.db
          .selectFrom('bookings')
          .selectAll()
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (!row) throw bookingError('bookings.invalid_link');
    return row;
  }

  /** Until when the client may still cancel or move this booking themselves. */
  async changeDeadline(booking: BookingRow, settings: SettingsReader = this.deps.settings): Promise<Date> {
    const hours = await settings.get('booking.cancellation_cutoff_hours');
    return new Date(booking.datetime.getTime() - hours * 3_600_000);
  }

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
      const booking = await trx
        .updateTable('bookings')
        .set({
          status: 'cancelled',
          cancelled_at: this.deps.clock(),
          cancelled_by: options.by,
          cancellation_reason: options.reason ?? null,
          sequence: previous.sequence + 1,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
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
    if (Number.isNaN(start.getTime())) throw bookingError('bookings.slot_unavailable');
    const settings = await this.deps.settings.snapshot();
    const current = await this.deps.db
      .selectFrom('bookings')
      .select(['consultant_id', 'duration'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (current) await this.calendarCheck(settings, current, start, id);
    try {
      return await writeTransaction(this.deps.db, options.actor, async (trx) => {
        const previous = await this.lockChangeable(trx, settings, id, options.by, options.version);
        if (start.getTime() === previous.datetime.getTime()) {
          throw bookingError('bookings.same_time');
        }
        await lockConsultant(trx, previous.consultant_id);
        await this.recheck(
          trx,
          settings,
          { consultant_id: previous.consultant_id, duration: previous.duration },
          start,
          { excludeBookingId: id, calendar: false },
        );
        const booking = await trx
          .updateTable('bookings')
          .set({ datetime: start, sequence: previous.sequence + 1, reminder_sent_at: null })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
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
    outcome: 'completed' | 'no_show',
    options: { actor: AuditActor; version?: number | undefined },
  ): Promise<BookingRow> {
    const settings = await this.deps.settings.snapshot();
    return writeTransaction(this.deps.db, options.actor, async (trx) => {
      const previous = await this.lock(trx, id);
      if (options.version !== undefined && options.version !== previous.version) {
        throw staleVersion(previous.version);
      }
      if (previous.status === outcome) return previous;
      if (
        previous.status !== 'confirmed' &&
        !(previous.status === 'no_show' || previous.status === 'completed')
      ) {
        throw bookingError('bookings.not_confirmed', { status: previous.status });
      }
      if (previous.status !== 'confirmed' && previous.feedback_at) {
        throw bookingError('bookings.feedback_given');
      }
      if (this.deps.clock() < previous.ends_at) {
        throw bookingError('bookings.not_ended', { end: previous.ends_at.toISOString() });
      }
      const booking = await trx
        .updateTable('bookings')
        .set({ status: outcome })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await refreshConsultantStats(trx, booking.consultant_id);
      await this.deps.effects.run({ change: outcome, booking, previous, trx, settings });
      return booking;
    });
  }

  /** The client's rating (1–5) and words on a completed meeting; given once. */
  async giveFeedback(
    token: string,
    feedback: { rating: number; text?: string | undefined },
    actor: AuditActor,
  ): Promise<BookingRow> {
    const found = await this.byFeedbackToken(token);
    return writeTransaction(this.deps.db, actor, async (trx) => {
      const previous = await this.lock(trx, found.id);
      if (previous.status !== 'completed') throw bookingError('bookings.feedback_not_open');
      if (previous.feedback_at) throw bookingError('bookings.feedback_given');
      const booking = await trx
        .updateTable('bookings')
        .set({
          client_rating: feedback.rating,
          client_feedback: feedback.text ?? null,
          feedback_at: this.deps.clock(),
        })
        .where('id', '=', previous.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await refreshConsultantStats(trx, booking.consultant_id);
      return booking;
    });
  }

  /** Locks a live booking for a change. */
  private async lock(trx: Transaction<DB>, id: string): Promise<BookingRow> {
    const row = await trx
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw bookingError('bookings.not_found');
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
    if (version !== undefined && version !== row.version) throw staleVersion(row.version);
    if (row.status !== 'confirmed') throw bookingError('bookings.not_confirmed', { status: row.status });
    const now = this.deps.clock();
    if (now >= row.ends_at) throw bookingError('bookings.already_over');
    if (by === 'client') {
      const deadline = await this.changeDeadline(row, settings);
      if (now >= deadline) {
        // Named in the client's own zone, as a person reads it in either language: 2026-11-30 09:00 (Europe/Berlin).
        const local = formatLocal(deadline.getTime(), row.timezone);
        const readable = `${local.slice(0, 10)} ${local.slice(11, 16)} (${row.timezone})`;
        throw bookingError('bookings.cutoff_passed', { deadline: readable });
      }
    }
    return row;
  }

  private answer(b: Selectable<Bookings>): BookingAnswer {
    return {
      id: b.id,
      reference: b.reference,
      consultant_id: b.consultant_id,
      start: b.datetime.toISOString(),
      end: b.ends_at.toISOString(),
      duration: b.duration,
      timezone: b.timezone,
      meeting_type: b.meeting_type,
      meeting_url: b.meeting_url,
      language: b.language,
      status: b.status,
      manage_url: manageUrl(this.deps.publicUrl, this.deps.appSecret, b.id),
    };
  }
}

/**
 * Takes the consultant's row lock for the rest of the transaction: the changes that check the consultant's other
 * bookings (the buffer around each one, the per-day limit) or sum them up take turns per consultant. The
 * exclusion constraint alone only stops overlapping meetings; two back-to-back bookings made at the same moment
 * would each see a free buffer. Booking locks are taken before this one, never after (no deadlock), and the
 * lock does not block inserting bookings that reference the consultant (a foreign key takes KEY SHARE).
 */
async function lockConsultant(trx: Kysely<DB>, consultantId: string): Promise<void> {
  await trx.selectFrom('consultants').select('id').where('id', '=', consultantId).forNoKeyUpdate().execute();
}

/**
 * A consultant's figures from their bookings: total_bookings counts completed meetings, average_rating the
 * mean of the ratings given (NULL without any). Recomputed, not incremented, so they cannot drift. The lock
 * comes first, in a statement of its own: the sums are then read after any concurrent change committed (in READ
 * COMMITTED each statement sees what was committed when it started, and an UPDATE waiting for a row lock would
 * keep the sums it read before the wait).
 */
export async function refreshConsultantStats(trx: Kysely<DB>, consultantId: string): Promise<void> {
  await lockConsultant(trx, consultantId);
  await sql`
    UPDATE consultants c SET
      total_bookings = s.completed,
      average_rating = s.rating
    FROM (
      SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
             round(avg(client_rating) FILTER (WHERE client_rating IS NOT NULL), 2) AS rating
      FROM bookings WHERE consultant_id = ${consultantId} AND deleted_at IS NULL
    ) s
    WHERE c.id = ${consultantId}`.execute(trx);
}
