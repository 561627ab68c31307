import Type from 'typebox';
import { AppError, type ErrorDetail, platformError } from '../../platform/http/errors.ts';
import { Text } from '../pages/blocks.ts';

/**
 * The shapes of `consultants.working_hours` and `consultants.holidays`. The slots engine
 * (src/modules/availability) reads exactly these from the table:
 *
 *   working_hours: { "mon": [{ "start": "09:00", "end": "12:00" }, …], … }  keys mon..sun, each optional;
 *                  local times (HH:MM, 24h; "24:00" only as an end) in the consultant's IANA `timezone`;
 *                  per day sorted by start, start < end, not overlapping (touching is fine).
 *   holidays:      [{ "from": "2026-12-24", "to": "2026-12-26", "note"?: "…" }]  dates inclusive, in the
 *                  consultant's zone, from <= to.
 */

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export interface TimeRange {
  start: string;
  end: string;
}
export type WorkingHours = Partial<Record<WeekdayKey, TimeRange[]>>;
export interface Holiday {
  from: string;
  to: string;
  note?: string | undefined;
}

const HHMM = '([01][0-9]|2[0-3]):[0-5][0-9]';

export const TimeRangeSchema = Type.Object(
  {
    start: Type.String({ pattern: `^${HHMM}$`, description: 'HH:MM, 24h, local time' }),
    end: Type.String({ pattern: `^(${HHMM}|24:00)$`, description: 'HH:MM, 24h, local time; 24:00 allowed' }),
  },
  { additionalProperties: false },
);

const Day = Type.Optional(Type.Array(TimeRangeSchema, { maxItems: 24 }));
export const WorkingHoursSchema = Type.Object(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  {
    additionalProperties: false,
    description:
      'Weekly schedule in the consultant’s time zone: keys mon..sun (each optional), each a list of ' +
      '{start, end} (HH:MM, end may be 24:00), sorted, start < end, not overlapping',
  },
);

export const HolidaySchema = Type.Object(
  {
    from: Type.String({
      format: 'date',
      description: 'First day off (YYYY-MM-DD), in the consultant’s zone',
    }),
    to: Type.String({ format: 'date', description: 'Last day off, inclusive; not before from' }),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const HolidaysSchema = Type.Array(HolidaySchema, { maxItems: 500 });

export const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('de')]);
export const BiographySchema = Text(10_000);

/** "HH:MM" → minutes since midnight (24:00 → 1440). */
function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function invalid(details: ErrorDetail[]): AppError {
  return platformError(
    'validation.failed',
    { summary: details.map((d) => `${d.field ?? ''} ${d.message}`).join('; ') },
    details,
  );
}

/** What the schema cannot say: per day start < end, sorted by start, not overlapping. */
export function checkWorkingHours(hours: WorkingHours | null | undefined): void {
  if (!hours) return;
  const details: ErrorDetail[] = [];
  for (const day of WEEKDAY_KEYS) {
    const ranges = hours[day] ?? [];
    let previousEnd = -1;
    ranges.forEach((range, index) => {
      const field = `working_hours.${day}.${String(index)}`;
      const start = minutes(range.start);
      const end = minutes(range.end);
      if (start >= end) {
        details.push({ field, code: 'range', message: 'start must be before end' });
      } else if (start < previousEnd) {
        details.push({
          field,
          code: 'overlap',
          message: 'ranges must be sorted by start and must not overlap the previous one',
        });
      }
      previousEnd = Math.max(previousEnd, end);
    });
  }
  if (details.length > 0) throw invalid(details);
}

/** Every holiday from <= to (ISO dates compare as text). */
export function checkHolidays(holidays: Holiday[] | null | undefined): void {
  if (!holidays) return;
  const details: ErrorDetail[] = [];
  holidays.forEach((holiday, index) => {
    if (holiday.from > holiday.to) {
      details.push({
        field: `holidays.${String(index)}`,
        code: 'range',
        message: 'from must not be after to',
      });
    }
  });
  if (details.length > 0) throw invalid(details);
}
