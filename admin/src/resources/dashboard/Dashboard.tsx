// The start screen: what needs attention today. Each card shows only when the user holds the permission its API
// needs, loads on its own (one failing card leaves the others), and links to the screen with everything.
import EventIcon from '@mui/icons-material/Event';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutlined';
import MailOutlineIcon from '@mui/icons-material/MailOutlined';
import EditNoteIcon from '@mui/icons-material/EditNote';
import PeopleIcon from '@mui/icons-material/People';
import ScheduleIcon from '@mui/icons-material/Schedule';
import SyncProblemIcon from '@mui/icons-material/SyncProblem';
import { Box, Chip, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { Title, useLocaleState, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer, QueryOf } from '../../api/types.ts';
import { currentMe, holds, onMeChange } from '../../auth/session.ts';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { DashboardCard, EntryList } from './DashboardCard.tsx';

const DAY = 86_400_000;
const KEY = ['magnetiq', 'dashboard'];

/** The signed-in user, re-rendering when /auth/me is loaded again (a grant shows without a reload). */
function useMe() {
  return useSyncExternalStore(onMeChange, currentMe);
}

/** A list link with react-admin's filter in the URL. */
function filtered(resource: string, filter: Record<string, unknown>): string {
  return `/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}`;
}

type Title = { en?: string; de?: string };
function useTitle() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (title: Title) =>
    (locale === 'de' ? title.de || title.en : title.en || title.de) ||
    translate('magnetiq.dashboard.untitled');
}

function UpcomingBookings() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const query = useQuery({
    queryKey: [...KEY, 'bookings'],
    queryFn: ({ signal }) =>
      api<Answer<'listBookings'>>('GET', '/bookings', {
        query: {
          from: new Date().toISOString(),
          status: ['confirmed'],
          sort: 'datetime',
          per_page: 5,
        } satisfies QueryOf<'listBookings'>,
        signal,
      }),
  });
  return (
    <DashboardCard
      title={translate('magnetiq.dashboard.bookings.title')}
      icon={<EventIcon />}
      query={query}
      count={(data) => data.total}
      isEmpty={(data) => data.items.length === 0}
      empty={translate('magnetiq.dashboard.bookings.empty')}
      link={{ to: '/bookings', label: translate('magnetiq.dashboard.bookings.more') }}
    >
      {(data) => (
        <EntryList
          entries={data.items.map((booking) => ({
            key: booking.id,
            to: `/bookings/${booking.id}/show`,
            primary: (
              <>
                <time dateTime={booking.start}>{format(booking.start)}</time> · {booking.client_first_name}{' '}
                {booking.client_last_name}
              </>
            ),
            secondary: translate('magnetiq.dashboard.bookings.with', {
              consultant: booking.consultant_name,
              duration: booking.duration,
            }),
          }))}
        />
      )}
    </DashboardCard>
  );
}

function PagesCard({ status }: { status: 'scheduled' | 'draft' }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const title = useTitle();
  const query = useQuery({
    queryKey: [...KEY, 'pages', status],
    queryFn: async ({ signal }) => {
      const answer = await api<Answer<'listPages'>>('GET', '/pages', {
        query: (status === 'scheduled'
          ? // The API sorts by no publication time: the soonest are picked here from a full page.
            { status, per_page: 100 }
          : { status, sort: '-updated_at', per_page: 5 }) satisfies QueryOf<'listPages'>,
        signal,
      });
      const items =
        status === 'scheduled'
          ? [...answer.items]
              .sort((a, b) => (a.scheduled_at ?? '').localeCompare(b.scheduled_at ?? ''))
              .slice(0, 5)
          : answer.items;
      return { total: answer.total, items };
    },
  });
  const t = (key: string) => translate(`magnetiq.dashboard.${status}.${key}`);
  return (
    <DashboardCard
      title={t('title')}
      icon={status === 'scheduled' ? <ScheduleIcon /> : <EditNoteIcon />}
      query={query}
      count={(data) => data.total}
      isEmpty={(data) => data.items.length === 0}
      empty={t('empty')}
      link={{ to: filtered('pages', { status }), label: t('more') }}
    >
      {(data) => (
        <EntryList
          entries={data.items.map((page) => {
            const at = status === 'scheduled' ? page.scheduled_at : page.updated_at;
            return {
              key: page.id,
              to: `/pages/${page.id}`,
              primary: title(page.title),
              secondary: (
                <>
                  {page.path} ·{' '}
                  {translate(`magnetiq.dashboard.${status}.when`, { time: at ? format(at) : '—' })}
                </>
              ),
            };
          })}
        />
      )}
    </DashboardCard>
  );
}

function FailedJobs() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const query = useQuery({
    queryKey: [...KEY, 'jobs'],
    queryFn: async ({ signal }) => {
      const [queues, failed] = await Promise.all([
        api<Answer<'listJobQueues'>>('GET', '/jobs/queues', { signal }),
        api<Answer<'listFailedJobs'>>('GET', '/jobs/failed', {
          query: { per_page: 5 } satisfies QueryOf<'listFailedJobs'>,
          signal,
        }),
      ]);
      return {
        total: failed.total,
        queues: queues.items.filter((queue) => queue.counts.failed > 0),
        items: failed.items,
      };
    },
  });
  return (
    <DashboardCard
      title={translate('magnetiq.dashboard.jobs.title')}
      icon={<ErrorOutlineIcon />}
      query={query}
      count={(data) => data.total}
      isEmpty={(data) => data.items.length === 0}
      empty={translate('magnetiq.dashboard.jobs.empty')}
      link={{ to: '/jobs', label: translate('magnetiq.dashboard.jobs.more') }}
    >
      {(data) => (
        <>
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, mb: 1.5 }}>
            {data.queues.map((queue) => (
              <Chip
                key={queue.name}
                size="small"
                variant="outlined"
                label={translate('magnetiq.dashboard.jobs.queue', {
                  queue: queue.name,
                  count: queue.counts.failed,
                })}
              />
            ))}
          </Stack>
          <EntryList
            entries={data.items.map((job) => ({
              key: `${job.queue}-${job.id}`,
              primary: job.queue,
              secondary: (
                <>
                  {format(job.completed_on ?? job.created_on)}
                  {job.error ? ` · ${job.error.slice(0, 140)}` : ''}
                </>
              ),
            }))}
          />
        </>
      )}
    </DashboardCard>
  );
}

type Mail = Answer<'listOutboxMails'>['items'][number];

function Outbox() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const query = useQuery({
    queryKey: [...KEY, 'outbox'],
    queryFn: async ({ signal }) => {
      const list = (status: 'queued' | 'failed' | 'outbox', perPage: number) =>
        api<Answer<'listOutboxMails'>>('GET', '/outbox', {
          query: { status, per_page: perPage } satisfies QueryOf<'listOutboxMails'>,
          signal,
        });
      const [queued, failed, kept] = await Promise.all([
        list('queued', 5),
        list('failed', 5),
        list('outbox', 1),
      ]);
      const items: Mail[] = [...queued.items, ...failed.items]
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, 5);
      return { queued: queued.total, failed: failed.total, kept: kept.total, items };
    },
  });
  return (
    <DashboardCard
      title={translate('magnetiq.dashboard.outbox.title')}
      icon={<MailOutlineIcon />}
      query={query}
      count={(data) => data.queued + data.failed}
      isEmpty={(data) => data.items.length === 0 && data.kept === 0}
      empty={translate('magnetiq.dashboard.outbox.empty')}
      link={{ to: '/outbox', label: translate('magnetiq.dashboard.outbox.more') }}
    >
      {(data) => (
        <>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate('magnetiq.dashboard.outbox.counts', { queued: data.queued, failed: data.failed })}
          </Typography>
          {data.kept > 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {translate('magnetiq.dashboard.outbox.kept', { smart_count: data.kept })}
            </Typography>
          )}
          <EntryList
            entries={data.items.map((mail) => ({
              key: mail.id,
              primary: mail.subject,
              secondary: (
                <>
                  {mail.recipient} · {format(mail.created_at)}
                  {mail.error ? ` · ${mail.error.slice(0, 140)}` : ''}
                </>
              ),
              aside: (
                <Chip
                  size="small"
                  color={mail.status === 'failed' ? 'error' : 'default'}
                  label={translate(`magnetiq.dashboard.outbox.status.${mail.status}`, { _: mail.status })}
                />
              ),
            }))}
          />
        </>
      )}
    </DashboardCard>
  );
}

type LogEntry = Answer<'listIntegrationLogs'>['items'][number];

function IntegrationErrors() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const query = useQuery({
    queryKey: [...KEY, 'integrations'],
    queryFn: async ({ signal }) => {
      const from = new Date(Date.now() - DAY).toISOString();
      const list = (status: 'error' | 'timeout') =>
        api<Answer<'listIntegrationLogs'>>('GET', '/integration-logs', {
          query: { status, from, per_page: 5 } satisfies QueryOf<'listIntegrationLogs'>,
          signal,
        });
      const [errors, timeouts] = await Promise.all([list('error'), list('timeout')]);
      const items: LogEntry[] = [...errors.items, ...timeouts.items]
        .sort((a, b) => b.started_at.localeCompare(a.started_at))
        .slice(0, 5);
      return { total: errors.total + timeouts.total, items };
    },
  });
  return (
    <DashboardCard
      title={translate('magnetiq.dashboard.integrations.title')}
      icon={<SyncProblemIcon />}
      query={query}
      count={(data) => data.total}
      isEmpty={(data) => data.items.length === 0}
      empty={translate('magnetiq.dashboard.integrations.empty')}
      link={{
        to: filtered('integration-logs', { status: 'error' }),
        label: translate('magnetiq.dashboard.integrations.more'),
      }}
    >
      {(data) => (
        <EntryList
          entries={data.items.map((entry) => ({
            key: entry.id,
            primary: `${entry.integration_name} · ${entry.operation}`,
            secondary: (
              <>
                {format(entry.started_at)}
                {entry.error_message ? ` · ${entry.error_message.slice(0, 140)}` : ''}
              </>
            ),
            aside: (
              <Chip
                size="small"
                color="error"
                label={translate(`magnetiq.dashboard.integrations.status.${entry.status}`, {
                  _: entry.status,
                })}
              />
            ),
          }))}
        />
      )}
    </DashboardCard>
  );
}

type Session = Answer<'listSessions'>['items'][number];

/** How many of those signed in now the card lists. */
const ACTIVE_SHOWN = 6;

/**
 * Who is active: for those who may read users, who is signed in now (a live session: the API's view of active
 * staff), most recent activity first, with their number of sessions; for everyone, their own live sessions.
 */
function WhoIsActive({ users }: { users: boolean }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const query = useQuery({
    queryKey: [...KEY, 'active', users],
    queryFn: async ({ signal }) => {
      const [active, sessions] = await Promise.all([
        users
          ? api<Answer<'listActiveUsers'>>('GET', '/users/active', {
              query: { per_page: ACTIVE_SHOWN } satisfies QueryOf<'listActiveUsers'>,
              signal,
            })
          : Promise.resolve(null),
        api<Answer<'listSessions'>>('GET', '/auth/sessions', { signal }),
      ]);
      return { active, sessions: sessions.items };
    },
  });
  const device = (session: Session) => {
    const known = (value: string | undefined) => (value && value !== 'other' ? value : null);
    return (
      [known(session.device_info?.['browser']), known(session.device_info?.['os'])]
        .filter(Boolean)
        .join(' · ') || translate('magnetiq.dashboard.active.unknown_device')
    );
  };
  return (
    <DashboardCard
      title={translate('magnetiq.dashboard.active.title')}
      icon={<PeopleIcon />}
      query={query}
      count={(data) => data.active?.total ?? null}
      isEmpty={(data) => (data.active?.items.length ?? 0) === 0 && data.sessions.length === 0}
      empty={translate('magnetiq.dashboard.active.empty')}
      link={
        users
          ? { to: '/users', label: translate('magnetiq.dashboard.active.users_link') }
          : { to: '/profile', label: translate('magnetiq.dashboard.active.profile_link') }
      }
    >
      {(data) => (
        <Stack spacing={1.5}>
          {data.active && (
            <Box>
              <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
                {translate('magnetiq.dashboard.active.now')}
              </Typography>
              {data.active.items.length === 0 ? (
                <Typography variant="body2" color="text.secondary">
                  {translate('magnetiq.dashboard.active.nobody')}
                </Typography>
              ) : (
                <EntryList
                  entries={data.active.items.map((user) => ({
                    key: user.id,
                    primary: `${user.first_name} ${user.last_name}`,
                    secondary: (
                      <>
                        {translate(`magnetiq.dashboard.active.roles.${user.role}`, { _: user.role })} ·{' '}
                        {translate('magnetiq.dashboard.active.user_seen', {
                          time: format(user.last_activity_at),
                        })}
                      </>
                    ),
                    aside: (
                      <Chip
                        size="small"
                        variant="outlined"
                        label={translate('magnetiq.dashboard.active.user_sessions', {
                          smart_count: user.active_sessions,
                        })}
                      />
                    ),
                  }))}
                />
              )}
              {data.active.total > data.active.items.length && (
                <Typography variant="caption" color="text.secondary">
                  {translate('magnetiq.dashboard.active.more_active', {
                    smart_count: data.active.total - data.active.items.length,
                  })}
                </Typography>
              )}
            </Box>
          )}
          <Box>
            <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
              {translate('magnetiq.dashboard.active.sessions', { smart_count: data.sessions.length })}
            </Typography>
            <EntryList
              entries={data.sessions.map((session) => ({
                key: session.id,
                primary: device(session),
                secondary: translate('magnetiq.dashboard.active.last_seen', {
                  time: format(session.last_activity_at),
                }),
                aside: session.current ? (
                  <Chip
                    size="small"
                    color="primary"
                    label={translate('magnetiq.dashboard.active.this_device')}
                  />
                ) : undefined,
              }))}
            />
          </Box>
        </Stack>
      )}
    </DashboardCard>
  );
}

export function Dashboard() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const me = useMe();
  // Lists need the permission itself: a grant scoped to one resource does not open a list.
  const may = (permission: string) => holds(me, permission, false);
  return (
    <Box sx={{ py: 2 }}>
      <Title title={translate('ra.page.dashboard')} />
      <Box sx={{ mb: 2 }}>
        <Typography variant="h5" component="h1">
          {translate('magnetiq.dashboard.greeting', { name: me?.user.first_name ?? '' })}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {format(new Date(), { dateStyle: 'full' })} · {translate('magnetiq.dashboard.subtitle')}
        </Typography>
      </Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
          gap: 2,
          alignItems: 'stretch',
        }}
      >
        {may('bookings.read') && <UpcomingBookings />}
        {may('pages.read') && <PagesCard status="scheduled" />}
        {may('pages.read') && <PagesCard status="draft" />}
        {may('settings.manage') && <FailedJobs />}
        {may('settings.manage') && <Outbox />}
        {may('settings.manage') && <IntegrationErrors />}
        <WhoIsActive users={may('users.read')} />
      </Box>
    </Box>
  );
}
