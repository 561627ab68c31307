// The signed-in user's live sessions (devices): end one, or all but this one.
import LogoutIcon from '@mui/icons-material/Logout';
import {
  Box,
  Button,
  Chip,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, useNotify, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { visuallyHidden } from '../users/a11y.ts';
import { asText, errorText } from '../../components/ConfirmAction.tsx';
import { LoadError } from '../../components/LoadError.tsx';

type Session = Answer<'listSessions'>['items'][number];

export const SESSIONS_KEY = ['magnetiq', 'own-sessions'];

function Device({ session }: { session: Session }) {
  const translate = useTranslate();
  const browser = session.device_info?.['browser'];
  const os = session.device_info?.['os'];
  const known = (value: string | undefined) => (value && value !== 'other' ? value : null);
  const text =
    [known(browser), known(os)].filter(Boolean).join(' · ') || translate('magnetiq.profile.unknown_device');
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <span title={session.user_agent ?? undefined}>{text}</span>
      {session.current && (
        <Chip size="small" color="primary" label={translate('magnetiq.profile.this_device')} />
      )}
    </Stack>
  );
}

export function Sessions() {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: ({ signal }) => api<Answer<'listSessions'>>('GET', '/auth/sessions', { signal }),
  });
  const [confirming, setConfirming] = useState<Session | 'others' | null>(null);
  const [busy, setBusy] = useState(false);

  const end = async (target: Session | 'others') => {
    setBusy(true);
    try {
      if (target === 'others') {
        const { revoked } = await api<Answer<'revokeOtherSessions'>>('DELETE', '/auth/sessions');
        notify(revoked === 0 ? 'magnetiq.profile.none_ended' : 'magnetiq.profile.others_ended', {
          type: 'success',
          messageArgs: { smart_count: revoked },
        });
      } else {
        await api('DELETE', `/auth/sessions/${target.id}`);
        notify('magnetiq.profile.session_ended', { type: 'success' });
      }
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    } catch (error) {
      const text = errorText(error);
      notify(text, { type: 'error', ...asText(text) });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  if (sessions.isPending) return <LinearProgress aria-label={translate('magnetiq.states.loading')} />;
  if (sessions.isError) {
    return <LoadError error={sessions.error} onRetry={() => void sessions.refetch()} sx={{ m: 0 }} />;
  }
  const items = sessions.data.items;
  const others = items.filter((session) => !session.current).length;
  return (
    <Stack spacing={2}>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={translate('magnetiq.profile.sessions')}>
          <TableHead>
            <TableRow>
              <TableCell>{translate('magnetiq.profile.device')}</TableCell>
              <TableCell>{translate('magnetiq.profile.ip')}</TableCell>
              <TableCell>{translate('magnetiq.profile.signed_in')}</TableCell>
              <TableCell>{translate('magnetiq.profile.last_active')}</TableCell>
              <TableCell>
                <Box component="span" sx={visuallyHidden}>
                  {translate('magnetiq.grants.actions')}
                </Box>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((session) => (
              <TableRow key={session.id}>
                <TableCell>
                  <Device session={session} />
                </TableCell>
                <TableCell>{session.ip_address ?? '—'}</TableCell>
                <TableCell>
                  <time dateTime={session.created_at}>{format(session.created_at)}</time>
                </TableCell>
                <TableCell>
                  <time dateTime={session.last_activity_at}>{format(session.last_activity_at)}</time>
                </TableCell>
                <TableCell align="right">
                  {!session.current && (
                    <Button
                      size="small"
                      color="error"
                      disabled={busy}
                      aria-label={`${translate('magnetiq.profile.end_session')}: ${session.device_info?.['browser'] ?? ''} ${session.ip_address ?? ''}`.trim()}
                      onClick={() => {
                        setConfirming(session);
                      }}
                    >
                      {translate('magnetiq.profile.end_session')}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        <Button
          variant="outlined"
          color="error"
          startIcon={<LogoutIcon />}
          disabled={others === 0 || busy}
          onClick={() => {
            setConfirming('others');
          }}
        >
          {translate('magnetiq.profile.end_others')}
        </Button>
        {others === 0 && (
          <Typography variant="body2" color="text.secondary">
            {translate('magnetiq.profile.no_others')}
          </Typography>
        )}
      </Box>
      <Confirm
        isOpen={confirming !== null}
        loading={busy}
        title={
          confirming === 'others' ? 'magnetiq.profile.end_others_title' : 'magnetiq.profile.end_session_title'
        }
        content={
          confirming === 'others'
            ? 'magnetiq.profile.end_others_content'
            : 'magnetiq.profile.end_session_content'
        }
        contentTranslateOptions={{ smart_count: others }}
        onConfirm={() => {
          if (confirming) void end(confirming);
        }}
        onClose={() => {
          setConfirming(null);
        }}
      />
    </Stack>
  );
}
