// The week calendar: seven local days of the user's time zone (the API's week view), one consultant or all,
// each booking placed by its day and time. Every booking is a link (Tab, or the arrow keys from one to the next
// in time order; Enter opens its detail). The week, consultant and "show cancelled" live in the URL, so the
// way back from a booking lands on the same week.
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import ListIcon from '@mui/icons-material/ViewList';
import {
  Box,
  Button,
  Card,
  Checkbox,
  CircularProgress,
  FormControlLabel,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useRef, type KeyboardEvent } from 'react';
import { Title, useBasename, useCreatePath, useLocaleState, useTranslate } from 'react-admin';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { api } from '../../api/http.ts';
import type { QueryOf } from '../../api/types.ts';
import { userTimeZone } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { consultantName, useConsultants, type Week, type WeekBooking } from './api.ts';
import { addDays, formatPlainDate, localDateOf, wallMinutes } from './time.ts';

const HOUR_PX = 56;
const DEFAULT_FIRST_HOUR = 8;
const DEFAULT_LAST_HOUR = 18;

const STATUS_STYLE: Record<string, { bg: string; fg: string; border: string }> = {
  confirmed: { bg: '#e3f2fd', fg: '#0d3c78', border: '#1565c0' },
  completed: { bg: '#e8f5e9', fg: '#1b5e20', border: '#2e7d32' },
  no_show: { bg: '#fdecea', fg: '#8e1b1b', border: '#c62828' },
  cancelled: { bg: '#f5f5f5', fg: '#555555', border: '#9e9e9e' },
};

const LINE = {
  display: 'block',
  whiteSpace: 'nowrap',
  textOverflow: 'ellipsis',
  overflow: 'hidden',
} as const;

const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  m: '-1px',
  p: 0,
  border: 0,
} as const;

interface Placed {
  booking: WeekBooking;
  /** Minutes since local midnight. */
  start: number;
  end: number;
  lane: number;
  lanes: number;
}

/** Places a day's bookings by time, side by side where they overlap (e.g. two consultants at once). */
function place(bookings: WeekBooking[]): Placed[] {
  const sorted = [...bookings].sort((a, b) => a.start_utc.localeCompare(b.start_utc));
  const placed: Placed[] = [];
  let cluster: Placed[] = [];
  let clusterEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) p.lanes = lanes;
    cluster = [];
  };
  for (const booking of sorted) {
    const start = wallMinutes(booking.start_local);
    // A booking running past midnight is drawn to the end of its day.
    const end = Math.min(24 * 60, start + booking.duration);
    if (start >= clusterEnd) close();
    const busy = new Set(cluster.filter((p) => p.end > start).map((p) => p.lane));
    let lane = 0;
    while (busy.has(lane)) lane += 1;
    const entry: Placed = { booking, start, end, lane, lanes: 1 };
    cluster.push(entry);
    placed.push(entry);
    clusterEnd = Math.max(clusterEnd, end);
  }
  close();
  return placed;
}

function hoursOf(week: Week | undefined): [number, number] {
  let first = DEFAULT_FIRST_HOUR;
  let last = DEFAULT_LAST_HOUR;
  for (const day of week?.days ?? []) {
    for (const b of day.bookings) {
      const start = wallMinutes(b.start_local);
      first = Math.min(first, Math.floor(start / 60));
      last = Math.max(last, Math.min(24, Math.ceil((start + b.duration) / 60)));
    }
  }
  return [first, last];
}

function useWeek(start: string | null, consultant: string, cancelled: boolean, tz: string) {
  return useQuery({
    queryKey: ['magnetiq', 'bookings', 'week', start, consultant, cancelled, tz],
    queryFn: ({ signal }) =>
      api<Week>('GET', '/bookings/week', {
        query: {
          start: start ?? undefined,
          tz,
          consultant_id: consultant || undefined,
          include_cancelled: cancelled || undefined,
        } satisfies QueryOf<'getBookingWeek'>,
        signal,
      }),
    placeholderData: (previous) => previous,
  });
}

function BookingBlock({
  placed,
  firstHour,
  showConsultant,
}: {
  placed: Placed;
  firstHour: number;
  showConsultant: boolean;
}) {
  const translate = useTranslate();
  const createPath = useCreatePath();
  const { booking } = placed;
  const style = STATUS_STYLE[booking.status] ?? STATUS_STYLE['confirmed'];
  const start = booking.start_local.slice(11, 16);
  const end = booking.end_local.slice(11, 16);
  const status = translate(`magnetiq.bookings.status.${booking.status}`, { _: booking.status });
  const client = booking.client_company
    ? `${booking.client_name} (${booking.client_company})`
    : booking.client_name;
  const label = translate('magnetiq.bookings.week.booking', {
    start,
    end,
    client,
    consultant: booking.consultant_name,
    status,
  });
  const width = 100 / placed.lanes;
  // Under an hour there is room for one line: time and client.
  const short = placed.end - placed.start < 60;
  return (
    <Box
      component="li"
      sx={{
        position: 'absolute',
        top: ((placed.start - firstHour * 60) * HOUR_PX) / 60,
        height: Math.max(20, ((placed.end - placed.start) * HOUR_PX) / 60) - 2,
        left: `calc(${placed.lane * width}% + 2px)`,
        width: `calc(${width}% - 4px)`,
        listStyle: 'none',
      }}
    >
      <Box
        component={RouterLink}
        to={createPath({ resource: 'bookings', id: booking.id, type: 'show' })}
        data-week-booking
        title={label}
        sx={{
          display: 'block',
          height: '100%',
          overflow: 'hidden',
          px: 0.5,
          py: 0.25,
          borderRadius: 1,
          borderLeft: `4px solid ${style?.border ?? '#1565c0'}`,
          bgcolor: style?.bg,
          color: style?.fg,
          textDecoration: 'none',
          fontSize: 12,
          lineHeight: 1.35,
          '&:hover': { filter: 'brightness(0.96)' },
          '&:focus-visible': {
            outline: '3px solid #1565c0',
            outlineOffset: 1,
            zIndex: 2,
            position: 'relative',
          },
        }}
      >
        {/* Read out: the whole description; shown: what fits (the same words, shortened). */}
        <Box component="span" sx={VISUALLY_HIDDEN}>
          {label}
        </Box>
        <Box component="span" aria-hidden sx={{ ...LINE, fontWeight: 600 }}>
          {short ? `${start} ${booking.client_name}` : `${start}–${end}`}
        </Box>
        {!short && (
          <Box
            component="span"
            aria-hidden
            sx={{ ...LINE, textDecoration: booking.status === 'cancelled' ? 'line-through' : 'none' }}
          >
            {booking.client_name}
          </Box>
        )}
        {!short && (
          <Box component="span" aria-hidden sx={LINE}>
            {showConsultant ? booking.consultant_name : (booking.client_company ?? status)}
          </Box>
        )}
      </Box>
    </Box>
  );
}

export function BookingWeek() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const basename = useBasename();
  const tz = userTimeZone();
  const [params, setParams] = useSearchParams();
  const start = params.get('start');
  const consultant = params.get('consultant') ?? '';
  const cancelled = params.get('cancelled') === '1';
  const week = useWeek(start, consultant, cancelled, tz);
  // The week asked for, not the one still on screen while it loads (a second click must count from the first).
  const shown = start ?? week.data?.start;
  const consultants = useConsultants();
  const grid = useRef<HTMLDivElement>(null);
  const today = localDateOf(Date.now(), tz);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: false });
  };

  const [firstHour, lastHour] = hoursOf(week.data);
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const days = week.data?.days ?? [];
  const count = days.reduce((sum, day) => sum + day.bookings.length, 0);
  const range =
    days.length > 0
      ? `${formatPlainDate(days[0]?.date ?? '', locale, { day: 'numeric', month: 'short' })} – ${formatPlainDate(
          days[days.length - 1]?.date ?? '',
          locale,
          { day: 'numeric', month: 'short', year: 'numeric' },
        )}`
      : '';

  /** Arrow keys move between bookings in time order (Tab does too); Home and End to the first and last. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const links = [...(grid.current?.querySelectorAll<HTMLElement>('[data-week-booking]') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    const step: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    let target: HTMLElement | undefined;
    if (event.key in step) target = links[index + (step[event.key] ?? 0)];
    else if (event.key === 'Home') target = links[0];
    else if (event.key === 'End') target = links[links.length - 1];
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };

  return (
    <Box sx={{ py: 2 }}>
      <Title title={translate('magnetiq.bookings.week.title')} />
      <Stack
        direction="row"
        spacing={1}
        sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1.5, mb: 2 }}
        component="nav"
        aria-label={translate('magnetiq.bookings.week.navigation')}
      >
        <Button
          variant="outlined"
          startIcon={<ChevronLeftIcon />}
          disabled={!week.data}
          onClick={() => {
            if (shown) set({ start: addDays(shown, -7) });
          }}
        >
          {translate('magnetiq.bookings.week.previous')}
        </Button>
        <Button
          variant="outlined"
          onClick={() => {
            set({ start: null });
          }}
        >
          {translate('magnetiq.bookings.week.this_week')}
        </Button>
        <Button
          variant="outlined"
          endIcon={<ChevronRightIcon />}
          disabled={!week.data}
          onClick={() => {
            if (shown) set({ start: addDays(shown, 7) });
          }}
        >
          {translate('magnetiq.bookings.week.next')}
        </Button>
        <Typography variant="h6" component="h2" sx={{ px: 1 }} aria-live="polite">
          {range}
        </Typography>
      </Stack>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 2 }}>
        <TextField
          select
          size="small"
          fullWidth={false}
          label={translate('resources.bookings.fields.consultant')}
          value={consultants.data ? consultant : ''}
          onChange={(event) => {
            set({ consultant: event.target.value });
          }}
          sx={{ width: 260 }}
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          helperText={consultants.isError ? translate('magnetiq.bookings.consultants_error') : undefined}
        >
          <MenuItem value="">{translate('magnetiq.bookings.filters.all_consultants')}</MenuItem>
          {(consultants.data ?? []).map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {consultantName(c)}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={cancelled}
              onChange={(event) => {
                set({ cancelled: event.target.checked ? '1' : null });
              }}
            />
          }
          label={translate('magnetiq.bookings.week.show_cancelled')}
        />
        <Box sx={{ flex: 1 }} />
        <Button component={RouterLink} to={`${basename}/bookings`} startIcon={<ListIcon />}>
          {translate('magnetiq.bookings.week.list')}
        </Button>
      </Stack>

      {week.isError && (
        <LoadError error={week.error} onRetry={() => void week.refetch()} sx={{ m: 0, mb: 2 }} />
      )}
      {week.isPending && (
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', py: 4 }} role="status">
          <CircularProgress size={24} aria-hidden />
          <Typography>{translate('magnetiq.states.loading')}</Typography>
        </Stack>
      )}
      {week.data && (
        <Card variant="outlined" sx={{ position: 'relative', overflowX: 'auto' }}>
          <Typography variant="body2" sx={{ px: 2, pt: 1.5 }} color="text.secondary" role="status">
            {count === 0
              ? translate('magnetiq.bookings.week.empty')
              : translate('magnetiq.bookings.week.count', { smart_count: count })}
            {' · '}
            {translate('magnetiq.bookings.week.zone', { tz: week.data.tz })}
            {week.isFetching && ' …'}
          </Typography>
          <Box
            ref={grid}
            onKeyDown={onKeyDown}
            sx={{
              display: 'grid',
              gridTemplateColumns: '52px repeat(7, minmax(88px, 1fr))',
              minWidth: 52 + 7 * 88,
              p: 1,
              opacity: week.isFetching ? 0.6 : 1,
            }}
          >
            <Box aria-hidden />
            {days.map((day) => (
              <Box
                key={day.date}
                id={`week-day-${day.date}`}
                sx={{
                  textAlign: 'center',
                  py: 0.5,
                  fontWeight: day.date === today ? 700 : 500,
                  color: day.date === today ? 'primary.main' : 'text.primary',
                  borderBottom: 1,
                  borderColor: 'divider',
                  fontSize: 14,
                }}
              >
                {formatPlainDate(day.date, locale, { weekday: 'short', day: 'numeric', month: 'short' })}
              </Box>
            ))}
            <Box aria-hidden sx={{ position: 'relative', height: hours.length * HOUR_PX }}>
              {hours.map((hour, i) => (
                <Box
                  key={hour}
                  sx={{
                    position: 'absolute',
                    top: Math.max(0, i * HOUR_PX - 7),
                    right: 6,
                    fontSize: 12,
                    color: 'text.secondary',
                  }}
                >
                  {`${String(hour).padStart(2, '0')}:00`}
                </Box>
              ))}
            </Box>
            {days.map((day) => (
              <Box
                key={day.date}
                component="section"
                aria-labelledby={`week-day-${day.date}`}
                sx={{
                  position: 'relative',
                  height: hours.length * HOUR_PX,
                  borderLeft: 1,
                  borderColor: 'divider',
                  bgcolor: day.date === today ? 'rgba(21, 101, 192, 0.04)' : undefined,
                  backgroundImage: `repeating-linear-gradient(to bottom, transparent 0, transparent ${HOUR_PX - 1}px, rgba(0,0,0,0.08) ${HOUR_PX - 1}px, rgba(0,0,0,0.08) ${HOUR_PX}px)`,
                }}
              >
                {day.bookings.length > 0 && (
                  <Box component="ul" sx={{ m: 0, p: 0 }}>
                    {place(day.bookings).map((placed) => (
                      <BookingBlock
                        key={placed.booking.id}
                        placed={placed}
                        firstHour={firstHour}
                        showConsultant={!consultant}
                      />
                    ))}
                  </Box>
                )}
              </Box>
            ))}
          </Box>
        </Card>
      )}
    </Box>
  );
}
