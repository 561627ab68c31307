import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import { integrationConfigs, type IntegrationConfigs } from '../../platform/integrations/config.ts';
import { GoogleCalendarClient } from '../../platform/integrations/google-calendar.ts';
import { IntegrationHttp, type RetryPolicy } from '../../platform/integrations/http.ts';
import { isTimeZone } from '../../platform/time-zone.ts';
import { findSchedule, type Holiday, type WorkingHours } from '../consultants/index.ts';
import type { SettingsReader } from '../settings/index.ts';
import {
  computeSlots,
  dayNumber,
  formatLocal,
  isDate,
  localDate,
  slotWindow,
  type AvailabilityInput,
  type AvailabilityRules,
  type Interval,
} from './engine.ts';
import { availabilityError } from './errors.ts';
import type { AvailabilitySnapshot } from './snapshot.ts';
import type { SlotsAnswer, SlotsQuery } from './schemas.ts';

const HOUR = 3_600_000;

/** A consultant as the engine reads it. */
export type Schedule = NonNullable<Awaited<ReturnType<typeof findSchedule>>>;

export interface AvailabilityDeps {
  db: Kysely<DB>;
  /** Schedules and bookings kept between changes (the public reads); without it every request reads them. */
  snapshot?: AvailabilitySnapshot<Schedule>;
  settings: SettingsReader;
  configs: IntegrationConfigs;
  clock: Clock;
  /** Tests shorten the waits between attempts. */
  retryPolicy?: Partial<RetryPolicy>;
}

/**
 * The times a consultant's bookings take, as the bookings module answers them (it owns the table): availability
 * knows no booking, so the module that does registers this with `Availability.useBookedTimes`.
 */
export interface BookedTimes {
  /** The blocking bookings of a consultant that overlap `span`, but `exceptId` (a booking being moved). */
  between(db: Kysely<DB>, consultantId: string, span: Interval, exceptId?: string): Promise<Interval[]>;
  /** The time a booking takes (its own calendar event is cut out of the busy times when it moves). */
  of(db: Kysely<DB>, bookingId: string): Promise<Interval | undefined>;
}

/** How one request for slots is answered beyond its query. */
export interface SlotsOptions {
  /**
   * A booking being moved: its own time does not block the new one (nor count towards the day's limit), and
   * its own event is taken out of the calendar's busy times.
   */
  excludeBookingId?: string;
  /** Ask Google Calendar (default true). The booking re-check in a transaction asked it before and says false. */
  calendar?: boolean;
  /** Read through this executor (a booking's transaction) instead of the app's database. */
  db?: Kysely<DB>;
  /** Read settings (and the Google connection) from these, e.g. a snapshot taken before a transaction. */
  settings?: SettingsReader;
}

/** Bookable times of a consultant: working hours minus holidays, bookings and calendar busy times. */
export class Availability {
  private booked: BookedTimes | null = null;

  constructor(private readonly deps: AvailabilityDeps) {}

  /** Where the bookings' times come from; the bookings module registers it once, at start. */
  useBookedTimes(booked: BookedTimes): void {
    if (this.booked) throw new Error('the booked times of availability are registered twice');
    this.booked = booked;
  }

  private bookedTimes(): BookedTimes {
    if (!this.booked) throw new Error('availability has no booked times: the bookings module registers them');
    return this.booked;
  }

  async rules(settings: SettingsReader = this.deps.settings): Promise<AvailabilityRules> {
    const s = settings;
    const [minNoticeHours, horizonDays, bufferMinutes, slotIntervalMinutes, maxPerDay] = await Promise.all([
      s.get('booking.min_notice_hours'),
      s.get('booking.horizon_days'),
      s.get('booking.buffer_minutes'),
      s.get('booking.slot_interval_minutes'),
      s.get('booking.max_per_day'),
    ]);
    return { minNoticeHours, horizonDays, bufferMinutes, slotIntervalMinutes, maxPerDay };
  }

  async slots(consultantId: string, query: SlotsQuery, options: SlotsOptions = {}): Promise<SlotsAnswer> {
    const { consultant_id, consultant_timezone, calendar_checked, slots } = await this.freeTimes(
      consultantId,
      query,
      options,
    );
    const { from, to, duration, tz } = query;
    return {
      consultant_id,
      consultant_timezone,
      timezone: tz,
      from,
      to,
      duration,
      calendar_checked,
      slots: slots.map((slot) => ({
        date: localDate(slot.start, tz),
        start_utc: new Date(slot.start).toISOString(),
        end_utc: new Date(slot.end).toISOString(),
        start_local: formatLocal(slot.start, tz),
        end_local: formatLocal(slot.end, tz),
      })),
    };
  }

  /**
   * The bookable times as the slots API computes them, as UTC intervals, without the text of each (for a
   * reader that only counts them per day, or formats a few).
   */
  async freeTimes(
    consultantId: string,
    query: SlotsQuery,
    options: SlotsOptions = {},
  ): Promise<{
    consultant_id: string;
    consultant_timezone: string;
    calendar_checked: boolean;
    slots: Interval[];
  }> {
    const { from, to, duration, tz } = query;
    const db = options.db ?? this.deps.db;
    const settings = options.settings ?? this.deps.settings;
    if (!isTimeZone(tz)) throw availabilityError('availability.invalid_timezone', { tz });
    if (!isDate(from) || !isDate(to) || dayNumber(to) < dayNumber(from)) {
      throw availabilityError('availability.invalid_range', { from, to });
    }
    const rules = await this.rules(settings);
    const days = dayNumber(to) - dayNumber(from) + 1;
    if (days > rules.horizonDays) {
      throw availabilityError('availability.range_too_long', { days, max: rules.horizonDays });
    }

    // A public read (the app's database, no booking moved) may use what is kept; a booking's re-check in its
    // transaction or a move reads the tables.
    const kept =
      options.db === undefined && options.excludeBookingId === undefined ? this.deps.snapshot : undefined;
    const consultant = kept
      ? await kept.schedule(consultantId, () => findSchedule(db, consultantId))
      : await findSchedule(db, consultantId);
    if (!consultant) throw availabilityError('availability.consultant_not_found');
    if (!consultant.is_accepting_bookings) throw availabilityError('availability.not_accepting');
    const zone = isTimeZone(consultant.timezone) ? consultant.timezone : 'UTC';

    const now = this.deps.clock().getTime();
    const base: Omit<AvailabilityInput, 'bookings' | 'busy'> = {
      workingHours: (consultant.working_hours ?? null) as WorkingHours | null,
      holidays: Array.isArray(consultant.holidays) ? (consultant.holidays as unknown as Holiday[]) : null,
      consultantTimezone: zone,
      rules,
      now,
      from,
      to,
      timezone: tz,
      durationMinutes: duration,
    };
    const window = slotWindow({ ...base, bookings: [], busy: [] });
    const answer = { consultant_id: consultant.id, consultant_timezone: zone };
    if (window.end <= window.start) return { ...answer, calendar_checked: false, slots: [] };

    // Whole local days of the consultant around the window: the per-day limit counts a whole day.
    const span = {
      start: window.start - 2 * 24 * HOUR - rules.bufferMinutes * 60_000,
      end: window.end + 2 * 24 * HOUR + rules.bufferMinutes * 60_000,
    };
    const booked = this.bookedTimes();
    const bookings = kept
      ? await kept.bookings(consultant.id, span, now, rules.horizonDays, (wide) =>
          booked.between(db, consultant.id, wide),
        )
      : await booked.between(db, consultant.id, span, options.excludeBookingId);

    let calendar =
      options.calendar === false
        ? null
        : await this.calendarBusy(
            db,
            settings,
            options.settings !== undefined,
            consultant.google_calendar_id,
            span,
          );
    if (calendar && options.excludeBookingId !== undefined) {
      const own = await booked.of(db, options.excludeBookingId);
      if (own) calendar = without(calendar, own);
    }
    return {
      ...answer,
      calendar_checked: calendar !== null,
      slots: computeSlots({ ...base, bookings, busy: calendar ?? [] }),
    };
  }

  /**
   * The consultant's busy times from Google Calendar; null when there is no calendar to ask. With Google on
   * and a calendar id, anything short of an answer (not configured, down, refused) is an error: never "free".
   */
  private async calendarBusy(
    db: Kysely<DB>,
    settings: SettingsReader,
    ownSettings: boolean,
    calendarId: string | null,
    span: Interval,
  ): Promise<Interval[] | null> {
    if (!calendarId || !(await settings.get('google.enabled'))) return null;
    const unavailable = () => availabilityError('availability.calendar_unavailable');
    // The connection as the given settings have it (a snapshot), else as the app's.
    const configs = ownSettings
      ? integrationConfigs((key: string) => settings.get(key as never))
      : this.deps.configs;
    const config = await configs.googleCalendar().catch(() => null);
    if (!config) throw unavailable();
    const client = new GoogleCalendarClient(
      config,
      new IntegrationHttp({
        db,
        integration: 'google_calendar',
        ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
        ...(this.deps.retryPolicy ? { retry: this.deps.retryPolicy } : {}),
      }),
    );
    try {
      const answer = await client.freeBusy({
        timeMin: new Date(span.start).toISOString(),
        timeMax: new Date(span.end).toISOString(),
        calendarIds: [calendarId],
      });
      const busy: Interval[] = [];
      for (const b of answer[calendarId] ?? []) {
        const start = Date.parse(b.start);
        const end = Date.parse(b.end);
        if (!Number.isFinite(start) || !Number.isFinite(end)) throw unavailable();
        busy.push({ start, end });
      }
      return busy;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unavailable();
    }
  }
}

/** Busy times with one interval cut out of them (a moved booking's own calendar event). */
function without(busy: Interval[], cut: Interval): Interval[] {
  return busy.flatMap((b) => {
    if (b.end <= cut.start || b.start >= cut.end) return [b];
    const parts: Interval[] = [];
    if (b.start < cut.start) parts.push({ start: b.start, end: cut.start });
    if (b.end > cut.end) parts.push({ start: cut.end, end: b.end });
    return parts;
  });
}
