import type { Locale } from '../../platform/i18n/index.ts';
import { isTimeZone } from '../../platform/time-zone.ts';

/** The zone offered first and used when none (or an unknown one) is given. */
export const DEFAULT_ZONE = 'Europe/Berlin';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };
const dayFormats = new Map<string, Intl.DateTimeFormat>();

const dayLabels = new Map<string, string>();

/** A local date (YYYY-MM-DD) as people read it: "Tuesday, 1 December 2026", "Dienstag, 1. Dezember 2026". */
export function dayLabel(date: string, lang: Locale): string {
  // Intl formats in microseconds, and the day step names 16 days on every request: each label is kept.
  const key = `${lang}|${date}`;
  let label = dayLabels.get(key);
  if (label === undefined) {
    let f = dayFormats.get(lang);
    if (!f) {
      f = new Intl.DateTimeFormat(INTL_LOCALE[lang], {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      });
      dayFormats.set(lang, f);
    }
    label = f.format(new Date(`${date}T12:00:00Z`));
    if (dayLabels.size >= 5000) dayLabels.clear();
    dayLabels.set(key, label);
  }
  return label;
}

/** The wall-clock time of an ISO 8601 local time with offset ("2026-12-01T09:00:00+01:00" → "09:00"). */
export function timeOf(local: string): string {
  return local.slice(11, 16);
}

/** A meeting's day and times as people read them: "Tuesday 1 December 2026, 09:00–10:00". */
export function whenLabel(startLocal: string, endLocal: string, lang: Locale): string {
  return `${dayLabel(startLocal.slice(0, 10), lang)}, ${timeOf(startLocal)}–${timeOf(endLocal)}`;
}

/** A zone as people read it: "America/New_York" → "America/New York". */
export function zoneLabel(zone: string): string {
  return zone.replaceAll('_', ' ');
}

/** The zone a request names, or the default when it names none or one that does not exist. */
export function zoneOf(value: unknown): string {
  return typeof value === 'string' && value.length <= 64 && isTimeZone(value) ? value : DEFAULT_ZONE;
}

const ESCAPE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPE[c] ?? c);

let zones: string[] | undefined;
let options: string[] | undefined;

/** Every zone the runtime knows (IANA names), UTC included, sorted. */
export function timeZones(): string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
  return zones;
}

/**
 * The <option>s of a time-zone select as HTML, `selected` chosen: over 400 of them, made once and joined
 * per page, so a booking step does not build 400 elements each time.
 */
export function zoneOptionsHtml(selected: string): string {
  options ??= timeZones().map(
    (zone) => `<option value="${escape(zone)}">${escape(zoneLabel(zone))}</option>`,
  );
  const index = timeZones().indexOf(selected);
  if (index < 0) return options.join('');
  const zone = escape(selected);
  const chosen = `<option value="${zone}" selected>${escape(zoneLabel(selected))}</option>`;
  return [...options.slice(0, index), chosen, ...options.slice(index + 1)].join('');
}
