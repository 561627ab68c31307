// Rescheduling through the slot picker: the consultant's free times for the booking's duration, its own time
// free (GET /bookings/:id/slots), in the user's time zone, over a range of days the user chooses; one picked,
// the booking moves there.
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { QueryOf } from '../../api/types.ts';
import { userTimeZone, useFormatDateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { bookingActions, type Booking, type Slot, type Slots } from './api.ts';
import { addDays, formatPlainDate, localDateOf } from './time.ts';

const RANGE_DAYS = 7;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** The times the booking can move to (its own time free), over local days of `tz`. */
function useSlots(booking: Booking, from: string, to: string, tz: string) {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && to >= from;
  return useQuery({
    queryKey: ['magnetiq', 'slots', 'booking', booking.id, booking.version, from, to, tz],
    enabled: valid,
    retry: false,
    queryFn: ({ signal }) =>
      api<Slots>('GET', `/bookings/${booking.id}/slots`, {
        query: { from, to, tz } satisfies QueryOf<'listBookingSlots'>,
        signal,
      }),
  });
}

export function RescheduleDialog({
  booking,
  open,
  onClose,
  onDone,
}: {
  booking: Booking;
  open: boolean;
  onClose: () => void;
  onDone: (booking: Booking) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const format = useFormatDateTime();
  const tz = userTimeZone();
  const today = localDateOf(Date.now(), tz);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, RANGE_DAYS - 1));
  const [picked, setPicked] = useState<Slot | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const slots = useSlots(booking, from, to, tz);
  const titleId = useId();

  const shift = (days: number) => {
    setFrom(addDays(from, days));
    setTo(addDays(to, days));
    setPicked(null);
  };
  const span = Math.max(1, daysBetween(from, to) + 1);

  const byDay = new Map<string, Slot[]>();
  const current = Date.parse(booking.start);
  for (const slot of slots.data?.slots ?? []) {
    // Its own time is free to move within, but not a time to move to.
    if (Date.parse(slot.start_utc) === current) continue;
    const list = byDay.get(slot.date) ?? [];
    list.push(slot);
    byDay.set(slot.date, list);
  }

  const time = (iso: string) => format(iso, { hour: '2-digit', minute: '2-digit' });

  const submit = async () => {
    if (!picked) return;
    setSaving(true);
    setError(null);
    try {
      const moved = await bookingActions.reschedule(booking, picked.start_utc);
      onDone(moved);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      // A time taken meanwhile is no longer offered: load the free times again.
      void slots.refetch();
      setPicked(null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={saving ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        {translate('magnetiq.bookings.reschedule.title', { reference: booking.reference })}
      </DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {translate('magnetiq.bookings.reschedule.help', {
            consultant: booking.consultant_name,
            duration: booking.duration,
            current: format(booking.start),
            tz,
          })}
        </DialogContentText>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 2 }}>
          <Button
            onClick={() => {
              shift(-span);
            }}
            startIcon={<ChevronLeftIcon />}
            disabled={from <= today}
          >
            {translate('magnetiq.bookings.reschedule.earlier')}
          </Button>
          <TextField
            type="date"
            size="small"
            fullWidth={false}
            sx={{ width: 170 }}
            label={translate('magnetiq.bookings.filters.from')}
            value={from}
            onChange={(event) => {
              setFrom(event.target.value);
              if (event.target.value > to) setTo(event.target.value);
              setPicked(null);
            }}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: today } }}
          />
          <TextField
            type="date"
            size="small"
            fullWidth={false}
            sx={{ width: 170 }}
            label={translate('magnetiq.bookings.filters.to')}
            value={to}
            onChange={(event) => {
              setTo(event.target.value);
              setPicked(null);
            }}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: from } }}
          />
          <Button
            onClick={() => {
              shift(span);
            }}
            endIcon={<ChevronRightIcon />}
          >
            {translate('magnetiq.bookings.reschedule.later')}
          </Button>
        </Stack>

        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}

        <Box aria-live="polite" aria-busy={slots.isFetching}>
          {slots.isFetching ? (
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', py: 3 }} role="status">
              <CircularProgress size={24} aria-hidden />
              <Typography>{translate('magnetiq.bookings.reschedule.loading')}</Typography>
            </Stack>
          ) : slots.isError ? (
            <LoadError error={slots.error} onRetry={() => void slots.refetch()} sx={{ m: 0 }} />
          ) : !slots.data ? (
            <Alert severity="info">{translate('magnetiq.bookings.reschedule.choose_days')}</Alert>
          ) : byDay.size === 0 ? (
            <Alert severity="info" role="status">
              {translate('magnetiq.bookings.reschedule.none')}
            </Alert>
          ) : (
            <Stack spacing={2}>
              {[...byDay.entries()].map(([date, list]) => (
                <Box
                  key={date}
                  component="section"
                  aria-label={formatPlainDate(date, locale, { dateStyle: 'full' })}
                >
                  <Typography variant="subtitle2" component="h3" sx={{ mb: 1 }}>
                    {formatPlainDate(date, locale, { dateStyle: 'full' })}
                  </Typography>
                  <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
                    {list.map((slot) => {
                      const selected = picked?.start_utc === slot.start_utc;
                      return (
                        <Button
                          key={slot.start_utc}
                          size="small"
                          variant={selected ? 'contained' : 'outlined'}
                          aria-pressed={selected}
                          aria-label={translate('magnetiq.bookings.reschedule.slot', {
                            date: formatPlainDate(date, locale, { dateStyle: 'full' }),
                            start: time(slot.start_utc),
                            end: time(slot.end_utc),
                          })}
                          onClick={() => {
                            setPicked(selected ? null : slot);
                          }}
                          sx={{ minWidth: 72 }}
                        >
                          {time(slot.start_utc)}
                        </Button>
                      );
                    })}
                  </Box>
                </Box>
              ))}
            </Stack>
          )}
        </Box>
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="body2" sx={{ flex: 1, px: 2 }} role="status">
          {picked
            ? translate('magnetiq.bookings.reschedule.picked', {
                start: format(picked.start_utc),
                end: time(picked.end_utc),
              })
            : translate('magnetiq.bookings.reschedule.nothing_picked')}
        </Typography>
        <Button onClick={onClose} disabled={saving}>
          {translate('ra.action.cancel')}
        </Button>
        <Button
          variant="contained"
          onClick={() => void submit()}
          disabled={!picked || saving}
          startIcon={saving ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined}
        >
          {translate('magnetiq.bookings.reschedule.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
