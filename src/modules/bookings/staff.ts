import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import { assertThat, staleVersion } from '../../platform/http/errors.ts';
import type { Page } from '../../platform/http/pagination.ts';
import { isTimeZone } from '../../platform/time-zone.ts';
import {
  availabilityError,
  dateOf,
  dayNumber,
  localDate,
  localToUtc,
  type SlotsAnswer,
  type SlotsQuery,
} from '../availability/index.ts';
import { findConsultantCards } from '../consultants/index.ts';
import type { BookingsContext } from './context.ts';
import { bookingError } from './errors.ts';
import type { Outcome } from './policy.ts';
import {
  bookingsStartingBetween,
  findLiveBooking,
  listBookings,
  lockVersion,
  setBooking,
  type BookingRow,
} from './repository/index.ts';
import type {
  NotesPatch,
  StaffBooking,
  StaffCancel,
  StaffListQuery,
  StaffReschedule,
  StaffSlotsQuery,
  Week,
  WeekBooking,
  WeekQuery,
} from './schemas.ts';
import type { BookingService } from './service.ts';
import { staffView, weekBooking } from './views.ts';

/**
 * The staff side of bookings: reads (list, week, one booking), the notes, and the lifecycle changes as
 * `by: 'staff'` (not bound by the client's cut-off, followed by the same effects), each answering the booking as
 * staff see it.
 */
export class StaffBookings {
  constructor(
    private readonly deps: BookingsContext,
    private readonly bookings: BookingService,
  ) {}

  private async views(rows: BookingRow[]): Promise<StaffBooking[]> {
    const consultants = await findConsultantCards(
      this.deps.db,
      rows.map((r) => r.consultant_id),
    );
    return rows.map((row) => staffView(row, consultants.get(row.consultant_id), this.deps));
  }

  async list(query: StaffListQuery): Promise<Page<StaffBooking>> {
    const page = await listBookings(this.deps.db, query);
    return { ...page, items: await this.views(page.items) };
  }

  async get(id: string): Promise<StaffBooking> {
    const row = await findLiveBooking(this.deps.db, id);
    assertThat(row, () => bookingError('bookings.not_found'));
    const [view] = await this.views([row]);
    if (!view) throw new Error('unreachable');
    return view;
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
      bookings: [] as WeekBooking[],
    }));
    const rows = await bookingsStartingBetween(
      this.deps.db,
      { start: new Date(localToUtc(first, 0, tz)), end: new Date(localToUtc(first + 7, 0, tz)) },
      query,
    );
    const consultants = await findConsultantCards(
      this.deps.db,
      rows.map((r) => r.consultant_id),
    );
    for (const b of rows) {
      const day = days[dayNumber(localDate(b.datetime.getTime(), tz)) - first];
      day?.bookings.push(weekBooking(b, consultants.get(b.consultant_id), tz));
    }
    return { tz, start: dateOf(first), days };
  }

  /** Staff notes, under optimistic locking; any status, since notes follow up a meeting too. */
  async updateNotes(id: string, patch: NotesPatch, actor: AuditActor): Promise<StaffBooking> {
    await writeTransaction(this.deps.db, actor, async (trx) => {
      const current = await lockVersion(trx, id);
      assertThat(current, () => bookingError('bookings.not_found'));
      if (current.version !== patch.version) throw staleVersion(current.version);
      const changes = {
        ...(patch.consultant_notes !== undefined ? { consultant_notes: patch.consultant_notes } : {}),
        ...(patch.preparation_notes !== undefined ? { preparation_notes: patch.preparation_notes } : {}),
      };
      if (Object.keys(changes).length > 0) await setBooking(trx, id, changes);
    });
    return this.get(id);
  }

  async cancel(id: string, body: StaffCancel, actor: AuditActor): Promise<StaffBooking> {
    const reason = body.reason?.trim();
    await this.bookings.cancel(id, {
      by: 'staff',
      actor,
      version: body.version,
      reason: reason ? reason : undefined,
    });
    return this.get(id);
  }

  /**
   * Where a booking may move: its consultant's free times for its duration, with its own time free (the
   * reschedule re-checks the same way).
   */
  async slots(id: string, query: StaffSlotsQuery): Promise<SlotsAnswer> {
    const row = await findLiveBooking(this.deps.db, id);
    assertThat(row, () => bookingError('bookings.not_found'));
    const duration = row.duration as SlotsQuery['duration'];
    return this.deps.availability.slots(row.consultant_id, { ...query, duration }, { excludeBookingId: id });
  }

  async reschedule(id: string, body: StaffReschedule, actor: AuditActor): Promise<StaffBooking> {
    await this.bookings.reschedule(id, { by: 'staff', actor, start: body.start, version: body.version });
    return this.get(id);
  }

  async setOutcome(id: string, outcome: Outcome, version: number, actor: AuditActor): Promise<StaffBooking> {
    await this.bookings.setOutcome(id, outcome, { actor, version });
    return this.get(id);
  }
}

/** The day number of the Monday of the local week `utc` falls in. Day 0 (1970-01-01) was a Thursday. */
function mondayOf(utc: number, tz: string): number {
  const today = dayNumber(localDate(utc, tz));
  return today - ((today + 3) % 7);
}
