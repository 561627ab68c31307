// What the API reports about a consultant's calendar and other connections, read-only: the Google calendar the
// bookings are entered in (and, for those who may read settings, whether the Google integration is switched on),
// the Odoo partner, and the figures the bookings keep.
import EventAvailableIcon from '@mui/icons-material/EventAvailable';
import EventBusyIcon from '@mui/icons-material/EventBusy';
import { Alert, Box, Paper, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { currentMe, holds } from '../../auth/session.ts';

type Consultant = Answer<'getConsultant'>;

export function CalendarState() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const record = useRecordContext<Consultant>();
  const headingId = useId();
  const mayReadSettings = holds(currentMe(), 'settings.read', false);
  const google = useQuery({
    queryKey: ['settings', 'google.enabled'],
    queryFn: ({ signal }) => api<Answer<'getSetting'>>('GET', '/settings/google.enabled', { signal }),
    enabled: mayReadSettings && Boolean(record?.google_calendar_id),
    retry: false,
  });
  if (!record) return null;
  const calendar = record.google_calendar_id;
  const number = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 });

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: 2, width: '100%' }}>
      <Typography id={headingId} component="h2" variant="h6" sx={{ mb: 1 }}>
        {translate('magnetiq.consultants.calendar.title')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }} data-testid="calendar-state">
        {calendar ? (
          <EventAvailableIcon color="success" aria-hidden />
        ) : (
          <EventBusyIcon color="disabled" aria-hidden />
        )}
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="body2" sx={{ fontWeight: 500 }}>
            {translate(
              calendar
                ? 'magnetiq.consultants.calendar.connected'
                : 'magnetiq.consultants.calendar.not_connected',
            )}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
            {calendar
              ? translate('magnetiq.consultants.calendar.calendar_id', { id: calendar })
              : translate('magnetiq.consultants.calendar.not_connected_help')}
          </Typography>
        </Box>
      </Box>
      {calendar && google.data && google.data.value === false && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          {translate('magnetiq.consultants.calendar.integration_off')}
        </Alert>
      )}
      <Box
        component="dl"
        sx={{
          mt: 2,
          mb: 0,
          display: 'grid',
          gridTemplateColumns: 'auto 1fr',
          columnGap: 2,
          rowGap: 0.5,
          '& dd': { m: 0 },
        }}
      >
        <Typography component="dt" variant="body2" color="text.secondary">
          {translate('resources.consultants.fields.odoo_partner_id')}
        </Typography>
        <Typography component="dd" variant="body2">
          {record.odoo_partner_id ?? translate('magnetiq.consultants.calendar.none')}
        </Typography>
        <Typography component="dt" variant="body2" color="text.secondary">
          {translate('resources.consultants.fields.total_bookings')}
        </Typography>
        <Typography component="dd" variant="body2">
          {number.format(record.total_bookings)}
        </Typography>
        <Typography component="dt" variant="body2" color="text.secondary">
          {translate('resources.consultants.fields.average_rating')}
        </Typography>
        <Typography component="dd" variant="body2">
          {record.average_rating === null
            ? translate('magnetiq.consultants.calendar.no_rating')
            : `${number.format(record.average_rating)} / 5`}
        </Typography>
      </Box>
    </Paper>
  );
}
