// The rules of a consultant's working hours and time off, as the API states them (src/modules/consultants/
// schemas.ts): per weekday a list of {start, end} (HH:MM, end may be 24:00), start before end, not overlapping
// (touching is fine), sent sorted by start; time off as inclusive date ranges with from <= to.
import type { Body } from '../../api/types.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type WorkingHours = NonNullable<Body<'updateConsultant'>['working_hours']>;
export type TimeRange = NonNullable<WorkingHours[Weekday]>[number];
export type Holiday = NonNullable<Body<'updateConsultant'>['holidays']>[number];

/** What the form holds: ranges per weekday (a missing day is a day off). */
export type HoursValue = Partial<Record<Weekday, TimeRange[]>> | null | undefined;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** "HH:MM" → minutes since midnight ("24:00" → 1440); NaN when it is not a time. */
export function toMinutes(time: string): number {
  if (!END.test(time)) return Number.NaN;
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function fromMinutes(minutes: number): string {
  const clamped = Math.max(0, Math.min(1440, minutes));
  return `${String(Math.floor(clamped / 60)).padStart(2, '0')}:${String(clamped % 60).padStart(2, '0')}`;
}

/** What is wrong with one range: a time missing, end not after start, or overlapping another range of its day. */
export type RangeProblem = { kind: 'missing' } | { kind: 'order' } | { kind: 'overlap'; with: TimeRange };

/** The problem of each range of a day (null where it is fine); of two overlapping ranges the later one is marked. */
export function rangeProblems(ranges: readonly TimeRange[]): (RangeProblem | null)[] {
  return ranges.map((range, index) => {
    if (!TIME.test(range.start) || !END.test(range.end)) return { kind: 'missing' };
    const start = toMinutes(range.start);
    const end = toMinutes(range.end);
    if (start >= end) return { kind: 'order' };
    const other = ranges.find((candidate, at) => {
      if (at >= index || !TIME.test(candidate.start) || !END.test(candidate.end)) return false;
      const s = toMinutes(candidate.start);
      const e = toMinutes(candidate.end);
      return s < e && start < e && s < end;
    });
    return other ? { kind: 'overlap', with: other } : null;
  });
}

export function hoursAreValid(value: HoursValue): boolean {
  if (!value) return true;
  return WEEKDAYS.every((day) => rangeProblems(value[day] ?? []).every((problem) => problem === null));
}

/** The working hours as the API takes them: days without ranges left out, ranges sorted; none at all is null. */
export function normalizeHours(value: HoursValue): WorkingHours | null {
  if (!value) return null;
  const out: WorkingHours = {};
  for (const day of WEEKDAYS) {
    const ranges = value[day] ?? [];
    if (ranges.length > 0) {
      out[day] = [...ranges]
        .map(({ start, end }) => ({ start, end }))
        .sort((a, b) => toMinutes(a.start) - toMinutes(b.start));
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** A new range for a day: 09:00–17:00 on an empty day, else the hour after the last range (up to 4 hours). */
export function nextRange(ranges: readonly TimeRange[]): TimeRange {
  const ends = ranges.map((range) => toMinutes(range.end)).filter((end) => !Number.isNaN(end));
  if (ends.length === 0) return { start: '09:00', end: '17:00' };
  const start = Math.min(Math.max(...ends) + 60, 23 * 60);
  return { start: fromMinutes(start), end: fromMinutes(Math.min(start + 240, 1440)) };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type HolidayProblem = 'missing' | 'order' | null;

export function holidayProblem(holiday: Partial<Holiday>): HolidayProblem {
  if (!holiday.from || !holiday.to || !DATE.test(holiday.from) || !DATE.test(holiday.to)) return 'missing';
  return holiday.from > holiday.to ? 'order' : null;
}

/** Time off as the API takes it: sorted by its first day, empty notes left out; none is null. */
export function normalizeHolidays(value: Partial<Holiday>[] | null | undefined): Holiday[] | null {
  if (!value || value.length === 0) return null;
  return value
    .map((holiday) => ({
      from: holiday.from ?? '',
      to: holiday.to ?? '',
      ...(holiday.note?.trim() ? { note: holiday.note.trim() } : {}),
    }))
    .sort((a, b) => a.from.localeCompare(b.from));
}

/** An input's format that keeps the value as it is (react-admin's default turns null into '', for text inputs). */
export const keep = (value: unknown): unknown => value;
