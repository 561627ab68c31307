import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Bookings, DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import { sign, tokenDigest } from '../../platform/security/tokens.ts';
import { AvailabilityService, BLOCKING_STATUSES, type AvailabilityDeps } from '../availability/service.ts';
import { isTimeZone } from '../availability/engine.ts';
import { pgError } from '../../platform/db/errors.ts';

export const MEETING_TYPES = ['video', 'phone', 'in_person'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

/** Unambiguous to read aloud or type: no 0/O, 1/I/L. */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const REFERENCE_ATTEMPTS = 8;
const MANAGE_PURPOSE = 'booking-manage';

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
  appSecret: string;
  publicUrl: string;
}

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
    if (!body.privacy_consent) throw new AppError('bookings.privacy_consent_required', 422);
    if (!isTimeZone(body.timezone)) {
      throw new AppError('availability.invalid_timezone', 400, { tz: body.timezone });
    }
    const start = new Date(body.start);
    if (Number.isNaN(start.getTime())) throw new AppError('bookings.slot_unavailable', 409);

    const key = idempotencyKey === undefined ? null : tokenDigest(idempotencyKey);
    const digest = requestDigest(body);
    if (key) {
      const replay = await this.replay(key, digest);
      if (replay) return { created: false, booking: replay };
    }

    const meetingBase = (await this.deps.settings.get('booking.meeting_base_url')).replace(/\/+$/, '');
    try {
      const booking = await writeTransaction(this.deps.db, actor, async (trx) => {
        if (key) {
          await trx
            .insertInto('booking_idempotency_keys')
            .values({ key_digest: key, request_digest: digest })
            .execute();
        }
        await this.recheck(trx, body, start);
        const row = await this.insert(trx, body, start, meetingBase);
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
      if (code === '23P01') throw new AppError('bookings.slot_taken', 409);
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
    if (stored.request_digest !== digest) throw new AppError('bookings.idempotency_key_reused', 422);
    if (!stored.booking_id) return null;
    const booking = await this.deps.db
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', stored.booking_id)
      .executeTakeFirstOrThrow();
    return this.answer(booking);
  }

  /** The start must be one the availability engine offers now, read within the booking's transaction. */
  private async recheck(trx: Transaction<DB>, body: BookingRequest, start: Date): Promise<void> {
    const availability = new AvailabilityService({ ...this.deps, db: trx });
    const day = start.toISOString().slice(0, 10);
    let offered;
    try {
      offered = await availability.slots(body.consultant_id, {
        from: day,
        to: day,
        duration: body.duration,
        tz: 'UTC',
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'availability.consultant_not_found') {
        throw new AppError('bookings.consultant_not_found', 404);
      }
      throw error;
    }
    const iso = start.toISOString();
    if (offered.slots.some((s) => s.start_utc === iso)) return;
    // Not offered: because a booking took it (a lost race), or because it never was a bookable time.
    const end = new Date(start.getTime() + body.duration * 60_000);
    const taken = await trx
      .selectFrom('bookings')
      .select('id')
      .where('consultant_id', '=', body.consultant_id)
      .where('status', 'in', [...BLOCKING_STATUSES])
      .where('deleted_at', 'is', null)
      .where('datetime', '<', end)
      .where('ends_at', '>', start)
      .executeTakeFirst();
    throw taken ? new AppError('bookings.slot_taken', 409) : new AppError('bookings.slot_unavailable', 409);
  }

  private async insert(
    trx: Transaction<DB>,
    body: BookingRequest,
    start: Date,
    meetingBase: string,
  ): Promise<Selectable<Bookings>> {
    const meetingUrl =
      body.meeting_type === 'video' ? `${meetingBase}/Magnetiq-${randomBytes(12).toString('hex')}` : null;
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
      manage_url: `${this.deps.publicUrl.replace(/\/+$/, '')}/bookings/manage?token=${manageToken(
        this.deps.appSecret,
        b.id,
      )}`,
    };
  }
}
