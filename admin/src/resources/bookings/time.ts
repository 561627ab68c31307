// Calendar arithmetic for the bookings screens: plain local dates (YYYY-MM-DD) of the user's time zone, turned
// into the UTC instants the API filters by, and back. A local day runs from local midnight to local midnight, so
// a day with a daylight-saving change has 23 or 25 hours, as the API counts it.

const DAY = 86_400_000;

function parseDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, (m ?? 1) - 1, d ?? 1];
}

/** The plain date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m, d) + days * DAY).toISOString().slice(0, 10);
}

/** How far `tz`'s wall clock is ahead of UTC at the instant `utc` (ms). */
function offsetAt(utc: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utc));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(utc / 1000) * 1000;
}

/** The UTC instant (ISO) of local midnight at the start of `date` in `tz`. */
export function localMidnight(date: string, tz: string): string {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m, d);
  let utc = wall - offsetAt(wall, tz);
  // Once more with the offset at the guess: right across a change of offset too.
  utc = wall - offsetAt(utc, tz);
  return new Date(utc).toISOString();
}

/** The local date (YYYY-MM-DD) of the instant `at` in `tz`. */
export function localDateOf(at: Date | string | number, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Minutes since local midnight of an ISO time with its offset ("2026-12-01T09:30:00+01:00" → 570). */
export function wallMinutes(local: string): number {
  const match = /T(\d{2}):(\d{2})/.exec(local);
  return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
}

/** A plain date in words, in the panel's language ("Mon, 7 Dec" / "Mo., 7. Dez."). */
export function formatPlainDate(date: string, locale: string, options: Intl.DateTimeFormatOptions): string {
  const [y, m, d] = parseDate(date);
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { ...options, timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m, d, 12)),
  );
}
