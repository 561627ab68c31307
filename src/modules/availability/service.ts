import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { IntegrationConfigs } from '../../platform/integrations/config.ts';
import { GoogleCalendarClient } from '../../platform/integrations/google-calendar.ts';
import { IntegrationHttp, type RetryPolicy } from '../../platform/integrations/http.ts';
import type { SettingsReader } from '../settings/service.ts';
import {
  computeSlots,
  dayNumber,
  formatLocal,
  isDate,
  isTimeZone,
  localDate,
  slotWindow,
  type AvailabilityInput,
  type AvailabilityRules,
  type Holiday,
  type Interval,
  type WorkingHours,
} from './engine.ts';
import { availabilityError } from './errors.ts';

export const DURATIONS = [30, 60, 90, 120] as const;
const HOUR = 3_600_000;

export interface AvailabilityDeps {
  db: Kysely<DB>;
  settings: SettingsReader;
  configs: IntegrationConfigs;
  clock: Clock;
  /** Tests shorten the waits between attempts. */
  retryPolicy?: Partial<RetryPolicy>;
}

export interface SlotsQuery {
  from: string;
  to: string;
  duration: number;
  tz: string;
  /**
   * A booking being moved: its own time does not block the new one (nor count towards the day's limit), and
   * its own event is taken out of the calendar's busy times.
   */
  excludeBookingId?: string;
  /** Ask Google Calendar (default true). The booking re-check in a transaction asked it before and says false. */
  calendar?: boolean;
}

export interface SlotView {
  date: string;
  start_utc: string;
  end_utc: string;
  start_local: string;
  end_local: string;
}

export interface SlotsAnswer {
  consultant_id: string;
  consultant_timezone: string;
  timezone: string;
  from: string;
  to: string;
  duration: number;
  calendar_checked: boolean;
  slots: SlotView[];
}

/** Statuses of a booking that keep its time taken (the schema knows no 'pending'). */
export const BLOCKING_STATUSES = ['confirmed'] as const;

export class AvailabilityService {
  constructor(private readonly deps: AvailabilityDeps) {}

  async rules(): Promise<AvailabilityRules> {
    const s = this.deps.settings;
    const [minNoticeHours, horizonDays, bufferMinutes, slotIntervalMinutes, maxPerDay] = await Promise.all([
      s.get('booking.min_notice_hours'),
      s.get('booking.horizon_days'),
      s.get('booking.buffer_minutes'),
      s.get('booking.slot_interval_minutes'),
      s.get('booking.max_per_day'),
    ]);
    return { minNoticeHours, horizonDays, bufferMinutes, slotIntervalMinutes, maxPerDay };
  }

  async slots(consultantId: string, query: SlotsQuery): Promise<SlotsAnswer> {
    const { from, to, duration, tz } = query;
    if (!isTimeZone(tz)) throw availabilityError('availability.invalid_timezone', { tz });
    if (!isDate(from) || !isDate(to) || dayNumber(to) < dayNumber(from)) {
      throw availabilityError('availability.invalid_range', { from, to });
    }
    const rules = await this.rules();
    const days = dayNumber(to) - dayNumber(from) + 1;
    if (days > rules.horizonDays) {
      throw availabilityError('availability.range_too_long', { days, max: rules.horizonDays });
    }

    const consultant = await this.deps.db
      .selectFrom('consultants')
      .select(['id', 'timezone', 'working_hours', 'holidays', 'google_calendar_id', 'is_accepting_bookings'])
      .where('id', '=', consultantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
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
    const answer = {
      consultant_id: consultant.id,
      consultant_timezone: zone,
      timezone: tz,
      from,
      to,
      duration,
    };
    if (window.end <= window.start) return { ...answer, calendar_checked: false, slots: [] };

    // Whole local days of the consultant around the window: the per-day limit counts a whole day.
    const span = {
      start: window.start - 2 * 24 * HOUR - rules.bufferMinutes * 60_000,
      end: window.end + 2 * 24 * HOUR + rules.bufferMinutes * 60_000,
    };
    const bookings = await this.deps.db
      .selectFrom('bookings')
      .select(['datetime', 'ends_at'])
      .where('consultant_id', '=', consultant.id)
      .where('status', 'in', [...BLOCKING_STATUSES])
      .where('deleted_at', 'is', null)
      .where('datetime', '<', new Date(span.end))
      .where('ends_at', '>', new Date(span.start))
      .$if(query.excludeBookingId !== undefined, (q) => q.where('id', '!=', query.excludeBookingId as string))
      .orderBy('datetime')
      .execute();

    let calendar =
      query.calendar === false ? null : await this.calendarBusy(consultant.google_calendar_id, span);
    if (calendar && query.excludeBookingId !== undefined) {
      const own = await this.deps.db
        .selectFrom('bookings')
        .select(['datetime', 'ends_at'])
        .where('id', '=', query.excludeBookingId)
        .executeTakeFirst();
      if (own) calendar = without(calendar, { start: own.datetime.getTime(), end: own.ends_at.getTime() });
    }
    const slots = computeSlots({
      ...base,
      bookings: bookings.map((b) => ({ start: b.datetime.getTime(), end: b.ends_at.getTime() })),
      busy: calendar ?? [],
    });
    return {
      ...answer,
      calendar_checked: calendar !== null,
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
   * The consultant's busy times from Google Calendar; null when there is no calendar to ask. With Google on
   * and a calendar id, anything short of an answer (not configured, down, refused) is an error: never "free".
   */
  private async calendarBusy(calendarId: string | null, span: Interval): Promise<Interval[] | null> {
    if (!calendarId || !(await this.deps.settings.get('google.enabled'))) return null;
    const unavailable = () => availabilityError('availability.calendar_unavailable');
    const config = await this.deps.configs.googleCalendar().catch(() => null);
    if (!config) throw unavailable();
    const client = new GoogleCalendarClient(
      config,
      new IntegrationHttp({
        db: this.deps.db,
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
