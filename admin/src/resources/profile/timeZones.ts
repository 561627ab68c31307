import { userTimeZone } from '../../components/DateTime.tsx';

// Time zones: the IANA names the browser knows (for selects), and wall-clock times in a given zone (what a
// person types into a date-time input) turned into instants and back.

let zones: string[] | undefined;

/** Every IANA time zone the browser knows, plus `current` when it is not among them (e.g. "Etc/UTC"). */
export function timeZoneNames(current?: string | null): string[] {
  zones ??= (() => {
    const known = Intl.supportedValuesOf('timeZone');
    return known.includes('UTC') ? known : [...known, 'UTC'];
  })();
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

export function timeZoneChoices(current?: string | null): { id: string; name: string }[] {
  return timeZoneNames(current).map((zone) => ({ id: zone, name: zone.replaceAll('_', ' ') }));
}

/** How far `zone`'s wall clock is ahead of UTC at `instant` (milliseconds). */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** "2025-03-30T14:00" read in `zone` as an ISO instant; null when it is no such time. */
export function zonedToIso(local: string, zone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // Twice: the offset at the first guess may differ from the offset at the answer (around a DST change).
  let instant = asUtc - offsetAt(asUtc, zone);
  instant = asUtc - offsetAt(instant, zone);
  return Number.isNaN(instant) ? null : new Date(instant).toISOString();
}

/** An instant as `zone`'s wall clock, in the form a datetime-local input takes. */
export function isoToZoned(iso: string, zone: string): string {
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return '';
  return new Date(instant + offsetAt(instant, zone)).toISOString().slice(0, 16);
}

/** A date-time filter's value ("2025-03-30T14:00", typed in the user's time zone) as an instant, or undefined. */
export function filterInstant(value: unknown): string | undefined {
  return typeof value === 'string' && value ? (zonedToIso(value, userTimeZone()) ?? undefined) : undefined;
}
