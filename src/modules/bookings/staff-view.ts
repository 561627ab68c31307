import { sql, type Kysely } from 'kysely';
import Type, { type Static } from 'typebox';
import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Clock } from '../../platform/clock.ts';
import { containsPattern } from '../../platform/db/errors.ts';
import type { DB } from '../../platform/db/schema.ts';
import { staleVersion } from '../../platform/http/errors.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';
import type { SettingsService } from '../settings/service.ts';
import { dateOf, dayNumber, formatLocal, isTimeZone, localDate, localToUtc } from '../availability/engine.ts';
import { manageUrl, type BookingRow } from './service.ts';
import { bookingError } from './errors.ts';
import { availabilityError } from '../availability/errors.ts';

export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

/** Everything staff see of a booking. */
export const StaffBookingSchema = Type.Object({
  id: Uuid,
  reference: Type.String(),
  consultant_id: Uuid,
  consultant_name: Type.String(),
  start: Time,
  end: Time,
  duration: Type.Integer({ description: 'Minutes' }),
  timezone: Type.String({ description: "The client's IANA zone" }),
  meeting_type: Type.String(),
  meeting_url: NullableString,
  language: Type.String(),
  status: Type.String({ description: 'confirmed, cancelled, completed or no_show' }),
  booking_source: Type.String(),
  client_first_name: Type.String(),
  client_last_name: Type.String(),
  client_email: Type.String(),
  client_phone: NullableString,
  client_company: NullableString,
  client_website: NullableString,
  subject: NullableString,
  message: NullableString,
  preparation_notes: NullableString,
  consultant_notes: NullableString,
  sequence: Type.Integer({ description: 'The iCalendar SEQUENCE of the invite' }),
  version: Type.Integer(),
  cancelled_at: NullableTime,
  cancelled_by: Type.Union([Type.Literal('client'), Type.Literal('staff'), Type.Null()]),
  cancellation_reason: NullableString,
  client_rating: NullableInteger,
  client_feedback: NullableString,
  feedback_at: NullableTime,
  feedback_requested_at: NullableTime,
  confirmation_sent_at: NullableTime,
  reminder_sent_at: NullableTime,
  google_calendar_event_id: NullableString,
  calendar_synced_sequence: NullableInteger,
  client_odoo_partner_id: NullableInteger,
  privacy_consent_at: NullableTime,
  created_at: Time,
  updated_at: Time,
  manage_url: Type.String({ description: "The client's manage link (to pass on, e.g. on the phone)" }),
});
export type StaffBooking = Static<typeof StaffBookingSchema>;

/** One booking in the week view. */
export const WeekBookingSchema = Type.Object({
  id: Uuid,
  reference: Type.String(),
  consultant_id: Uuid,
  consultant_name: Type.String(),
  start_utc: Time,
  end_utc: Time,
  start_local: Type.String({ description: 'ISO 8601 in `tz`, with its offset' }),
  end_local: Type.String({ description: 'ISO 8601 in `tz`, with its offset' }),
  duration: Type.Integer(),
  status: Type.String(),
  meeting_type: Type.String(),
  client_name: Type.String(),
  client_company: NullableString,
});

export const WeekSchema = Type.Object({
  tz: Type.String(),
  start: Type.String({ format: 'date', description: 'The first local day' }),
  days: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      start_utc: Type.String({ format: 'date-time', description: 'Local midnight of the day' }),
      end_utc: Type.String({
        format: 'date-time',
        description: 'Local midnight of the next day (a day across a DST change lasts 23 or 25 hours)',
      }),
      bookings: Type.Array(WeekBookingSchema),
    }),
    { minItems: 7, maxItems: 7 },
  ),
});
export type Week = Static<typeof WeekSchema>;

export interface StaffListQuery {
  consultant_id?: string | undefined;
  status?: BookingStatus[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  client_email?: string | undefined;
  q?: string | undefined;
  sort?: 'datetime' | '-datetime' | undefined;
  page: number;
  per_page: number;
}

export interface WeekQuery {
  start?: string | undefined;
  tz?: string | undefined;
  consultant_id?: string | undefined;
  include_cancelled?: boolean | undefined;
}

export interface NotesPatch {
  version: number;
  consultant_notes?: string | null | undefined;
  preparation_notes?: string | null | undefined;
}

export interface StaffBookingsDeps {
  db: Kysely<DB>;
  settings: Pick<SettingsService, 'get'>;
  clock: Clock;
  appSecret: string;
  publicUrl: string;
}

type Row = BookingRow & { consultant_first_name: string; consultant_last_name: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Reads for the staff API (list, week, one booking) and the one change it makes itself: the notes. */
export class StaffBookings {
  constructor(private readonly deps: StaffBookingsDeps) {}

  /** Live bookings with their consultant's name; soft-deleted ones are out of every staff read. */
  private base(db: Kysely<DB> = this.deps.db) {
    return db
      .selectFrom('bookings as b')
      .innerJoin('consultants as c', 'c.id', 'b.consultant_id')
      .where('b.deleted_at', 'is', null);
  }

  private withColumns(query: ReturnType<StaffBookings['base']>) {
    return query
      .selectAll('b')
      .select(['c.first_name as consultant_first_name', 'c.last_name as consultant_last_name']);
  }

  async list(query: StaffListQuery): Promise<Page<StaffBooking>> {
    let q = this.base();
    if (query.consultant_id) q = q.where('b.consultant_id', '=', query.consultant_id);
    if (query.status?.length) q = q.where('b.status', 'in', query.status);
    if (query.from) q = q.where('b.datetime', '>=', new Date(query.from));
    if (query.to) q = q.where('b.datetime', '<', new Date(query.to));
    if (query.client_email) {
      q = q.where('b.client_email', 'ilike', containsPattern(query.client_email));
    }
    if (query.q) {
      const pattern = containsPattern(query.q.trim());
      q = q.where((eb) =>
        eb.or([
          eb('b.reference', 'ilike', pattern),
          eb(sql<string>`b.client_first_name || ' ' || b.client_last_name`, 'ilike', pattern),
        ]),
      );
    }
    const direction = query.sort === '-datetime' ? 'desc' : 'asc';
    return fetchPage(
      this.withColumns(q).orderBy('b.datetime', direction).orderBy('b.id', direction),
      q.select((eb) => eb.fn.countAll<number>().as('n')),
      query,
      (row) => this.view(row),
    );
  }

  async get(id: string): Promise<StaffBooking> {
    const row = await this.withColumns(this.base()).where('b.id', '=', id).executeTakeFirst();
    if (!row) throw bookingError('bookings.not_found');
    return this.view(row);
  }

  /**
   * Seven local days of `tz` from `start` (default: the Monday of the current week there). Each day runs from
   * local midnight to local midnight, so a day with a DST change has 23 or 25 hours and a booking falls on the
   * day its start has on the wall clock in `tz`.
   */
  async week(query: WeekQuery): Promise<Week> {
    const tz = query.tz ?? (await this.deps.settings.get('timezone'));
    if (!isTimeZone(tz)) throw availabilityError('availability.invalid_timezone', { tz });
    const first = query.start ? dayNumber(query.start) : mondayOf(this.deps.clock().getTime(), tz);
    const days = Array.from({ length: 7 }, (_, i) => ({
      date: dateOf(first + i),
      start_utc: new Date(localToUtc(first + i, 0, tz)).toISOString(),
      end_utc: new Date(localToUtc(first + i + 1, 0, tz)).toISOString(),
      bookings: [] as Static<typeof WeekBookingSchema>[],
    }));
    let q = this.base()
      .where('b.datetime', '>=', new Date(localToUtc(first, 0, tz)))
      .where('b.datetime', '<', new Date(localToUtc(first + 7, 0, tz)));
    if (query.consultant_id) q = q.where('b.consultant_id', '=', query.consultant_id);
    if (!query.include_cancelled) q = q.where('b.status', '!=', 'cancelled');
    const rows = await q
      .select([
        'b.id',
        'b.reference',
        'b.consultant_id',
        'b.datetime',
        'b.ends_at',
        'b.duration',
        'b.status',
        'b.meeting_type',
        'b.client_first_name',
        'b.client_last_name',
        'b.client_company',
        'c.first_name as consultant_first_name',
        'c.last_name as consultant_last_name',
      ])
      .orderBy('b.datetime')
      .orderBy('b.id')
      .execute();
    for (const b of rows) {
      const start = b.datetime.getTime();
      const day = days[dayNumber(localDate(start, tz)) - first];
      day?.bookings.push({
        id: b.id,
        reference: b.reference,
        consultant_id: b.consultant_id,
        consultant_name: `${b.consultant_first_name} ${b.consultant_last_name}`,
        start_utc: b.datetime.toISOString(),
        end_utc: b.ends_at.toISOString(),
        start_local: formatLocal(start, tz),
        end_local: formatLocal(b.ends_at.getTime(), tz),
        duration: b.duration,
        status: b.status,
        meeting_type: b.meeting_type,
        client_name: `${b.client_first_name} ${b.client_last_name}`,
        client_company: b.client_company,
      });
    }
    return { tz, start: dateOf(first), days };
  }

  /** Staff notes, under optimistic locking; any status, since notes follow up a meeting too. */
  async updateNotes(id: string, patch: NotesPatch, actor: AuditActor): Promise<StaffBooking> {
    await writeTransaction(this.deps.db, actor, async (trx) => {
      const current = await trx
        .selectFrom('bookings')
        .select('version')
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw bookingError('bookings.not_found');
      if (current.version !== patch.version) throw staleVersion(current.version);
      const changes = {
        ...(patch.consultant_notes !== undefined ? { consultant_notes: patch.consultant_notes } : {}),
        ...(patch.preparation_notes !== undefined ? { preparation_notes: patch.preparation_notes } : {}),
      };
      if (Object.keys(changes).length > 0) {
        await trx.updateTable('bookings').set(changes).where('id', '=', id).execute();
      }
    });
    return this.get(id);
  }

  private view(b: Row): StaffBooking {
    return {
      id: b.id,
      reference: b.reference,
      consultant_id: b.consultant_id,
      consultant_name: `${b.consultant_first_name} ${b.consultant_last_name}`,
      start: b.datetime.toISOString(),
      end: b.ends_at.toISOString(),
      duration: b.duration,
      timezone: b.timezone,
      meeting_type: b.meeting_type,
      meeting_url: b.meeting_url,
      language: b.language,
      status: b.status,
      booking_source: b.booking_source,
      client_first_name: b.client_first_name,
      client_last_name: b.client_last_name,
      client_email: b.client_email,
      client_phone: b.client_phone,
      client_company: b.client_company,
      client_website: b.client_website,
      subject: b.subject,
      message: b.message,
      preparation_notes: b.preparation_notes,
      consultant_notes: b.consultant_notes,
      sequence: b.sequence,
      version: b.version,
      cancelled_at: iso(b.cancelled_at),
      cancelled_by: b.cancelled_by === 'client' || b.cancelled_by === 'staff' ? b.cancelled_by : null,
      cancellation_reason: b.cancellation_reason,
      client_rating: b.client_rating,
      client_feedback: b.client_feedback,
      feedback_at: iso(b.feedback_at),
      feedback_requested_at: iso(b.feedback_requested_at),
      confirmation_sent_at: iso(b.confirmation_sent_at),
      reminder_sent_at: iso(b.reminder_sent_at),
      google_calendar_event_id: b.google_calendar_event_id,
      calendar_synced_sequence: b.calendar_synced_sequence,
      client_odoo_partner_id: b.client_odoo_partner_id,
      privacy_consent_at: iso(b.privacy_consent_at),
      created_at: b.created_at.toISOString(),
      updated_at: b.updated_at.toISOString(),
      manage_url: manageUrl(this.deps.publicUrl, this.deps.appSecret, b.id),
    };
  }
}

/** The day number of the Monday of the local week `utc` falls in. Day 0 (1970-01-01) was a Thursday. */
function mondayOf(utc: number, tz: string): number {
  const today = dayNumber(localDate(utc, tz));
  return today - ((today + 3) % 7);
}
