import type { Holiday, WorkingHours } from '../consultants/index.ts';
export type { Holiday, WorkingHours } from '../consultants/index.ts';

/**
 * The availability engine: pure, no I/O. Working hours (local times in the consultant's zone) become UTC
 * intervals day by day, holidays and full days drop out, and candidate starts on the slot grid survive when
 * [start, start + duration) overlaps no busy interval. Busy intervals are merged and walked with one pointer,
 * so the cost grows with days + bookings + slots, never with minutes.
 *
 * Time-zone rules: a local time is turned into an instant with the zone's offset (Intl). A local time that
 * does not exist (the hour skipped in spring) resolves to the first valid instant after the gap; a local time
 * that happens twice (the hour repeated in autumn) resolves to its first occurrence.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An interval of UTC milliseconds, [start, end). */
export interface Interval {
  start: number;
  end: number;
}

export interface AvailabilityRules {
  minNoticeHours: number;
  horizonDays: number;
  bufferMinutes: number;
  slotIntervalMinutes: number;
  /** Bookings one consultant takes on one local day; a day with this many offers nothing. */
  maxPerDay: number;
}

export interface AvailabilityInput {
  workingHours: WorkingHours | null;
  holidays: Holiday[] | null;
  /** The consultant's IANA zone: working hours, holidays and the per-day limit are in it. */
  consultantTimezone: string;
  /** Bookings that block (confirmed, not deleted), UTC; widened by the buffer here. */
  bookings: Interval[];
  /** Other busy times (the calendar), UTC; not widened. */
  busy: Interval[];
  rules: AvailabilityRules;
  now: number;
  /** Local dates (YYYY-MM-DD, inclusive) in `timezone`, the zone the slots are asked for. */
  from: string;
  to: string;
  timezone: string;
  durationMinutes: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (local = utc + offset). */
export function offsetAt(utc: number, timeZone: string): number {
  // Intl's formatToParts costs microseconds and a 60-day slot answer asks thousands of times: an hour whose
  // start and end have the same offset has it throughout (zones change offset at most once an hour), so it
  // is remembered per zone and UTC hour (a map per zone: no key string is built on the hot path).
  const hour = Math.floor(utc / HOUR);
  let zone = offsets.get(timeZone);
  const cached = zone?.get(hour);
  if (cached !== undefined) return cached;
  const offset = intlOffset(utc, timeZone);
  if (intlOffset(hour * HOUR, timeZone) === intlOffset((hour + 1) * HOUR - 1000, timeZone)) {
    if (cachedOffsets >= MAX_CACHED_OFFSETS) {
      offsets.clear();
      cachedOffsets = 0;
      zone = undefined;
    }
    if (!zone) {
      zone = new Map();
      offsets.set(timeZone, zone);
    }
    zone.set(hour, offset);
    cachedOffsets += 1;
  }
  return offset;
}

const offsets = new Map<string, Map<number, number>>();
let cachedOffsets = 0;
const MAX_CACHED_OFFSETS = 100_000;

function intlOffset(utc: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utc))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return local - Math.floor(utc / 1000) * 1000;
}

/** A date as [year, month, day]; throws on a malformed or impossible one. */
export function parseDate(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`not a date: ${date}`);
  }
  return [y, mo, d];
}

export function isDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

/** Day number (days since 1970-01-01) of a local date, and back. */
export function dayNumber(date: string): number {
  const [y, m, d] = parseDate(date);
  return Date.UTC(y, m - 1, d) / DAY;
}
export function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY).toISOString().slice(0, 10);
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(utc: number, timeZone: string): string {
  return dateOf(localDay(utc, timeZone));
}

/** The day number (days since 1970-01-01) of an instant's local date in a zone: localDate without the text. */
export function localDay(utc: number, timeZone: string): number {
  return Math.floor((utc + offsetAt(utc, timeZone)) / DAY);
}

/** The instant of a local wall time (minutes after midnight of the local day `dayNo`) in a zone. */
export function localToUtc(dayNo: number, minutes: number, timeZone: string): number {
  const wall = dayNo * DAY + minutes * MINUTE;
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((utc) => utc + offsetAt(utc, timeZone) === wall)
    .sort((a, b) => a - b);
  // Repeated hour: the first occurrence.
  if (candidates.length > 0) return candidates[0] as number;
  // Skipped hour: the instant the gap ends, found by bisection between the two readings (whole minutes).
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  const offsetLo = offsetAt(lo, timeZone);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, timeZone) === offsetLo) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** An instant as ISO 8601 in a zone, with its offset: 2026-03-29T09:00:00+02:00. */
export function formatLocal(utc: number, timeZone: string): string {
  const offset = offsetAt(utc, timeZone);
  const wall = new Date(utc + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offset / MINUTE));
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${sign}${hh}:${mm}`;
}

function minutesOf(time: string): number | null {
  if (!TIME.test(time)) return null;
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Sorted, merged copy of intervals (touching ones joined). */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ start: i.start, end: i.end });
  }
  return merged;
}

/** The window [start, end) the slots may start in: the requested local days, notice and horizon applied. */
export function slotWindow(input: AvailabilityInput): Interval {
  const { rules, now } = input;
  const start = Math.max(
    localToUtc(dayNumber(input.from), 0, input.timezone),
    now + rules.minNoticeHours * HOUR,
  );
  const end = Math.min(
    localToUtc(dayNumber(input.to) + 1, 0, input.timezone),
    now + rules.horizonDays * DAY + 1,
  );
  return { start, end };
}

/** The bookable slots, sorted, in UTC milliseconds. */
export function computeSlots(input: AvailabilityInput): Interval[] {
  const { rules, consultantTimezone: zone } = input;
  const duration = input.durationMinutes * MINUTE;
  const step = rules.slotIntervalMinutes * MINUTE;
  if (duration <= 0 || step <= 0) return [];
  const window = slotWindow(input);
  if (window.end <= window.start) return [];

  // The consultant's local days the window touches (one day's margin each side for the zone difference).
  const firstDay = localDay(window.start, zone) - 1;
  const lastDay = localDay(window.end, zone) + 1;

  const holidays: Interval[] = [];
  for (const h of input.holidays ?? []) {
    if (isDate(h.from) && isDate(h.to)) holidays.push({ start: dayNumber(h.from), end: dayNumber(h.to) });
  }
  const perDay = new Map<number, number>();
  for (const b of input.bookings) {
    const day = localDay(b.start, zone);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }

  const working: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (holidays.some((h) => day >= h.start && day <= h.end)) continue;
    if ((perDay.get(day) ?? 0) >= rules.maxPerDay) continue;
    const weekday = WEEKDAYS[new Date(day * DAY).getUTCDay()] as Weekday;
    for (const range of input.workingHours?.[weekday] ?? []) {
      const from = minutesOf(range.start);
      const to = minutesOf(range.end);
      if (from === null || to === null || to <= from) continue;
      working.push({ start: localToUtc(day, from, zone), end: localToUtc(day, to, zone) });
    }
  }
  working.sort((a, b) => a.start - b.start);

  const buffer = rules.bufferMinutes * MINUTE;
  const busy = mergeIntervals([
    ...input.bookings.map((b) => ({ start: b.start - buffer, end: b.end + buffer })),
    ...input.busy,
  ]);

  const slots: Interval[] = [];
  let k = 0;
  for (const range of working) {
    // Starts on the grid from the range's beginning, inside the window.
    let s = range.start;
    if (s < window.start) s += Math.ceil((window.start - s) / step) * step;
    // Busy intervals before an earlier range may still reach into this one: rewind to the first relevant one.
    while (k > 0 && (busy[k - 1] as Interval).end > s) k--;
    while (s + duration <= range.end && s < window.end) {
      while (k < busy.length && (busy[k] as Interval).end <= s) k++;
      const next = busy[k];
      if (next && next.start < s + duration) {
        // Jump to the first grid start at or after the end of this busy interval.
        s += Math.ceil((next.end - s) / step) * step;
        continue;
      }
      slots.push({ start: s, end: s + duration });
      s += step;
    }
  }
  // Overlapping working ranges of one day would offer a start twice.
  slots.sort((a, b) => a.start - b.start);
  return slots.filter((slot, i) => i === 0 || (slots[i - 1] as Interval).start !== slot.start);
}
