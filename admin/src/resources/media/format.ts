// How the library writes sizes and types for people, in the panel's language.
const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** 1234567 → "1.2 MB" (en) / "1,2 MB" (de). */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** "image/png" → "PNG", "application/pdf" → "PDF", "image/svg+xml" → "SVG". */
export function formatType(mime: string): string {
  const sub = mime.split('/')[1] ?? mime;
  return sub.replace(/\+.*$/, '').replace(/^x-/, '').toUpperCase();
}

/** Seconds → "m:ss". */
export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${String(m)}:${String(s).padStart(2, '0')}`;
}
