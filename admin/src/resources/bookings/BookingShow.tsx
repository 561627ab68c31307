// One booking: when and how (in the user's time zone, and the client's own when it differs), the client, the
// feedback, the staff notes (edited under the booking's version, never overwriting someone else's), the history
// and the actions (BookingActions).
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CircularProgress,
  Divider,
  Link,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import {
  Show,
  TopToolbar,
  useBasename,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUpdate,
} from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { api } from '../../api/http.ts';
import type { Answer, QueryOf } from '../../api/types.ts';
import { currentMe, holds } from '../../auth/session.ts';
import { userTimeZone, useFormatDateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import type { Booking } from './api.ts';
import { BookingActions } from './BookingActions.tsx';
import { StatusChip } from './StatusChip.tsx';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined" component="section" aria-label={title}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1.5 }}>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

/** Label and value pairs, one per row (label above value when narrow). */
function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: 'minmax(120px, max-content) 1fr' },
        columnGap: 2,
        rowGap: 1,
        m: 0,
        '& dt': { color: 'text.secondary', typography: 'body2' },
        '& dd': { m: 0, typography: 'body2', overflowWrap: 'anywhere' },
      }}
    >
      {rows.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </Box>
      ))}
    </Box>
  );
}

function Appointment({ record }: { record: Booking }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const [locale] = useLocaleState();
  const time = (iso: string) => format(iso, { hour: '2-digit', minute: '2-digit' });
  const clientZone = record.timezone !== userTimeZone();
  const clientTime = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: record.timezone,
  });
  const f = (field: string) => translate(`resources.bookings.fields.${field}`);
  const source = (value: string) => translate(`magnetiq.bookings.source.${value}`, { _: value });
  const rows: [string, ReactNode][] = [
    [f('status'), <StatusChip key="status" status={record.status} />],
    [
      f('start'),
      <>
        <time dateTime={record.start}>{format(record.start)}</time> –{' '}
        <time dateTime={record.end}>{time(record.end)}</time>
        {clientZone && (
          <Typography variant="caption" component="div" color="text.secondary">
            {translate('magnetiq.bookings.client_time', {
              time: clientTime.format(new Date(record.start)),
              tz: record.timezone,
            })}
          </Typography>
        )}
      </>,
    ],
    [f('duration'), translate('magnetiq.bookings.minutes', { count: record.duration })],
    [f('consultant'), record.consultant_name],
    [
      f('meeting_type'),
      translate(`magnetiq.bookings.meeting_type.${record.meeting_type}`, { _: record.meeting_type }),
    ],
  ];
  if (record.meeting_url) {
    rows.push([
      f('meeting_url'),
      <Link key="url" href={record.meeting_url} target="_blank" rel="noreferrer">
        {record.meeting_url}
      </Link>,
    ]);
  }
  rows.push(
    [f('language'), translate(`magnetiq.language.${record.language}`, { _: record.language })],
    [f('booking_source'), source(record.booking_source)],
    [f('reference'), <code key="ref">{record.reference}</code>],
    [
      f('manage_url'),
      <Link key="manage" href={record.manage_url} target="_blank" rel="noreferrer">
        {translate('magnetiq.bookings.manage_link')}
      </Link>,
    ],
  );
  return (
    <Section title={translate('magnetiq.bookings.sections.appointment')}>
      <Facts rows={rows} />
    </Section>
  );
}

function Client({ record }: { record: Booking }) {
  const translate = useTranslate();
  const f = (field: string) => translate(`resources.bookings.fields.${field}`);
  const rows: [string, ReactNode][] = [
    [f('client_name'), `${record.client_first_name} ${record.client_last_name}`],
    [
      f('client_email'),
      <Link key="mail" href={`mailto:${record.client_email}`}>
        {record.client_email}
      </Link>,
    ],
  ];
  if (record.client_phone) {
    rows.push([
      f('client_phone'),
      <Link key="phone" href={`tel:${record.client_phone}`}>
        {record.client_phone}
      </Link>,
    ]);
  }
  if (record.client_company) rows.push([f('client_company'), record.client_company]);
  if (record.client_website) rows.push([f('client_website'), record.client_website]);
  if (record.subject) rows.push([f('subject'), record.subject]);
  rows.push([
    f('message'),
    record.message ? (
      <Box component="span" sx={{ whiteSpace: 'pre-wrap' }}>
        {record.message}
      </Box>
    ) : (
      '—'
    ),
  ]);
  if (record.client_rating !== null) {
    rows.push([
      f('client_rating'),
      <>
        {translate('magnetiq.bookings.rating', { rating: record.client_rating })}
        {record.client_feedback && (
          <Box component="span" sx={{ display: 'block', whiteSpace: 'pre-wrap' }}>
            {record.client_feedback}
          </Box>
        )}
      </>,
    ]);
  }
  return (
    <Section title={translate('magnetiq.bookings.sections.client')}>
      <Facts rows={rows} />
    </Section>
  );
}

type NotesValues = Pick<Booking, 'preparation_notes' | 'consultant_notes'>;
const sameNotes = (a: NotesValues, b: NotesValues) =>
  (a.preparation_notes ?? '') === (b.preparation_notes ?? '') &&
  (a.consultant_notes ?? '') === (b.consultant_notes ?? '');

/**
 * The staff notes. The edit starts from a version of the booking; when the booking changes meanwhile without
 * touching the notes (an action), the edit moves onto the new version; when someone else saved other notes, both
 * texts are shown and the user chooses. A save against a stale version (409) loads the booking again.
 */
function Notes({ record }: { record: Booking }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [update, { isPending }] = useUpdate<Booking>();
  const [base, setBase] = useState(record);
  const [values, setValues] = useState<NotesValues>({
    preparation_notes: record.preparation_notes ?? '',
    consultant_notes: record.consultant_notes ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const dirty = !sameNotes(values, base);
  const conflict = record.version !== base.version && !sameNotes(record, base) && dirty;
  const editable = holds(currentMe(), 'bookings.manage');

  useEffect(() => {
    if (record.version === base.version) return;
    if (sameNotes(record, base)) {
      setBase(record);
    } else if (sameNotes(values, base)) {
      setBase(record);
      setValues({
        preparation_notes: record.preparation_notes ?? '',
        consultant_notes: record.consultant_notes ?? '',
      });
    }
  }, [record, base, values]);

  const save = async () => {
    setError(null);
    try {
      const saved = await update(
        'bookings',
        { id: record.id, data: { ...base, ...values }, previousData: base },
        { mutationMode: 'pessimistic', returnPromise: true },
      );
      if (!saved) return;
      setBase(saved);
      setValues({
        preparation_notes: saved.preparation_notes ?? '',
        consultant_notes: saved.consultant_notes ?? '',
      });
      notify('magnetiq.bookings.notes.saved', { type: 'success' });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      refresh();
    }
  };

  const field = (name: keyof NotesValues) => (
    <TextField
      label={translate(`resources.bookings.fields.${name}`)}
      value={values[name] ?? ''}
      onChange={(event) => {
        setValues({ ...values, [name]: event.target.value });
      }}
      multiline
      minRows={3}
      fullWidth
      disabled={!editable || isPending}
      slotProps={{ htmlInput: { maxLength: 10_000 } }}
    />
  );

  return (
    <Section title={translate('magnetiq.bookings.sections.notes')}>
      {editable ? (
        <Box
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <Stack spacing={2}>
            {conflict && (
              <Alert severity="warning">
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {translate('magnetiq.bookings.notes.conflict')}
                </Typography>
                <Facts
                  rows={[
                    [
                      translate('resources.bookings.fields.preparation_notes'),
                      record.preparation_notes ?? '—',
                    ],
                    [translate('resources.bookings.fields.consultant_notes'), record.consultant_notes ?? '—'],
                  ]}
                />
                <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap' }}>
                  <Button
                    size="small"
                    onClick={() => {
                      setBase(record);
                      setError(null);
                    }}
                  >
                    {translate('magnetiq.bookings.notes.keep_mine')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      setBase(record);
                      setError(null);
                      setValues({
                        preparation_notes: record.preparation_notes ?? '',
                        consultant_notes: record.consultant_notes ?? '',
                      });
                    }}
                  >
                    {translate('magnetiq.bookings.notes.take_theirs')}
                  </Button>
                </Stack>
              </Alert>
            )}
            {field('preparation_notes')}
            {field('consultant_notes')}
            {error && !conflict && <Alert severity="error">{error}</Alert>}
            <Box>
              <Button
                type="submit"
                variant="contained"
                disabled={!dirty || isPending || conflict}
                startIcon={isPending ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined}
              >
                {translate('magnetiq.bookings.notes.save')}
              </Button>
            </Box>
          </Stack>
        </Box>
      ) : (
        <Facts
          rows={[
            [translate('resources.bookings.fields.preparation_notes'), record.preparation_notes ?? '—'],
            [translate('resources.bookings.fields.consultant_notes'), record.consultant_notes ?? '—'],
          ]}
        />
      )}
    </Section>
  );
}

type AuditEntry = Answer<'listAuditLogs'>['items'][number];

/** The status and time changes of the booking, from the audit trail (for those who may read it). */
function StatusHistory({ record }: { record: Booking }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const history = useQuery({
    queryKey: ['magnetiq', 'bookings', 'history', record.id, record.version],
    queryFn: ({ signal }) =>
      api<Answer<'listAuditLogs'>>('GET', '/audit-logs', {
        query: {
          table_name: 'bookings',
          record_id: record.id,
          per_page: 100,
        } satisfies QueryOf<'listAuditLogs'>,
        signal,
      }),
  });
  if (history.isPending) {
    return (
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} role="status">
        <CircularProgress size={16} aria-hidden />
        <Typography variant="body2">{translate('magnetiq.states.loading')}</Typography>
      </Stack>
    );
  }
  if (history.isError) {
    return <LoadError error={history.error} onRetry={() => void history.refetch()} sx={{ m: 0 }} />;
  }
  const status = (value: unknown) =>
    typeof value === 'string' ? translate(`magnetiq.bookings.status.${value}`, { _: value }) : '—';
  const when = (value: unknown) => (typeof value === 'string' ? format(value) : '—');
  const lines = history.data.items
    .flatMap((entry: AuditEntry) => {
      const who = entry.user_email ?? translate('magnetiq.bookings.history.not_staff');
      const changed = entry.changed_fields ?? [];
      const out: { key: string; at: string; text: string; who: string }[] = [];
      if (changed.includes('status')) {
        out.push({
          key: `${entry.id}-status`,
          at: entry.created_at,
          text: translate('magnetiq.bookings.history.status', {
            from: status(entry.old_values?.['status']),
            to: status(entry.new_values?.['status']),
          }),
          who,
        });
      }
      if (changed.includes('datetime')) {
        out.push({
          key: `${entry.id}-time`,
          at: entry.created_at,
          text: translate('magnetiq.bookings.history.moved', {
            from: when(entry.old_values?.['datetime']),
            to: when(entry.new_values?.['datetime']),
          }),
          who,
        });
      }
      return out;
    })
    .sort((a, b) => a.at.localeCompare(b.at));
  if (lines.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('magnetiq.bookings.history.none')}
      </Typography>
    );
  }
  return (
    <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
      {lines.map((line) => (
        <Typography component="li" variant="body2" key={line.key} sx={{ mb: 0.5 }}>
          <time dateTime={line.at}>{format(line.at)}</time>: {line.text}{' '}
          <Typography component="span" variant="body2" color="text.secondary">
            ({line.who})
          </Typography>
        </Typography>
      ))}
    </Box>
  );
}

/** What the booking itself records: when it was made, mailed, cancelled and rated. */
function Timeline({ record }: { record: Booking }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const t = (key: string, options?: object) => translate(`magnetiq.bookings.timeline.${key}`, options);
  const events: { at: string; text: string }[] = [
    {
      at: record.created_at,
      text: t('booked', {
        source: translate(`magnetiq.bookings.source.${record.booking_source}`, { _: record.booking_source }),
      }),
    },
  ];
  if (record.confirmation_sent_at) events.push({ at: record.confirmation_sent_at, text: t('confirmation') });
  if (record.reminder_sent_at) events.push({ at: record.reminder_sent_at, text: t('reminder') });
  if (record.cancelled_at) {
    const by = record.cancelled_by ? t(`by_${record.cancelled_by}`) : '';
    const reason = record.cancellation_reason ? ` — ${record.cancellation_reason}` : '';
    events.push({ at: record.cancelled_at, text: `${t('cancelled')}${by ? ` ${by}` : ''}${reason}` });
  }
  if (record.feedback_requested_at)
    events.push({ at: record.feedback_requested_at, text: t('feedback_requested') });
  if (record.feedback_at) {
    events.push({
      at: record.feedback_at,
      text: t('feedback', { rating: record.client_rating ?? '—' }),
    });
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
      {events.map((event) => (
        <Typography component="li" variant="body2" key={`${event.at}-${event.text}`} sx={{ mb: 0.5 }}>
          <time dateTime={event.at}>{format(event.at)}</time>: {event.text}
        </Typography>
      ))}
    </Box>
  );
}

function History({ record }: { record: Booking }) {
  const translate = useTranslate();
  const audit = holds(currentMe(), 'audit.read', false);
  return (
    <Section title={translate('magnetiq.bookings.sections.history')}>
      <Timeline record={record} />
      {audit && (
        <>
          <Divider sx={{ my: 2 }} />
          <Typography variant="subtitle2" component="h3" sx={{ mb: 1 }}>
            {translate('magnetiq.bookings.history.title')}
          </Typography>
          <StatusHistory record={record} />
        </>
      )}
    </Section>
  );
}

function Detail() {
  const record = useRecordContext<Booking>();
  if (!record) return null;
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1fr)' },
        gap: 2,
        p: 2,
        alignItems: 'start',
      }}
    >
      <Stack spacing={2}>
        <Appointment record={record} />
        <Client record={record} />
      </Stack>
      <Stack spacing={2}>
        <Notes record={record} />
        <History record={record} />
      </Stack>
    </Box>
  );
}

function Title() {
  const record = useRecordContext<Booking>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <span>
      {translate('magnetiq.bookings.title', {
        reference: record.reference,
        client: `${record.client_first_name} ${record.client_last_name}`,
      })}
    </span>
  );
}

function Actions() {
  const translate = useTranslate();
  const basename = useBasename();
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', gap: 1 }}>
      <Button component={RouterLink} to={`${basename}/bookings`} startIcon={<ArrowBackIcon />}>
        {translate('magnetiq.bookings.back_to_list')}
      </Button>
      <BookingActions />
    </TopToolbar>
  );
}

export function BookingShow() {
  return (
    <Show
      title={<Title />}
      actions={<Actions />}
      sx={{ '& .RaShow-card': { bgcolor: 'transparent', boxShadow: 'none' } }}
    >
      <Detail />
    </Show>
  );
}
