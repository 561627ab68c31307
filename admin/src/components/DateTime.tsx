// Dates and times as the signed-in user reads them: in their time zone (from the profile) and the panel's
// language.
import { Typography } from '@mui/material';
import { useLocaleState, useRecordContext } from 'react-admin';
import { currentMe } from '../auth/session.ts';

/** The user's time zone (the profile's, else the browser's). */
export function userTimeZone(): string {
  return currentMe()?.user.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatDateTime(
  value: string | Date | null | undefined,
  locale: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  if (value === null || value === undefined || value === '') return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    ...options,
    timeZone: userTimeZone(),
  }).format(date);
}

export function useFormatDateTime(): (
  value: string | Date | null | undefined,
  options?: Intl.DateTimeFormatOptions,
) => string {
  const [locale] = useLocaleState();
  return (value, options) => formatDateTime(value, locale, options);
}

/** A date-time field for lists and show views: `<DateTimeField source="updated_at" />`. */
export function DateTimeField({
  source,
  options,
}: {
  source: string;
  label?: string;
  sortable?: boolean;
  options?: Intl.DateTimeFormatOptions;
}) {
  const record = useRecordContext<Record<string, unknown>>();
  const format = useFormatDateTime();
  const value = record?.[source];
  const text = typeof value === 'string' ? format(value, options) : '';
  const iso = typeof value === 'string' ? value : undefined;
  return (
    <Typography component="span" variant="body2">
      {iso ? <time dateTime={iso}>{text}</time> : '—'}
    </Typography>
  );
}
