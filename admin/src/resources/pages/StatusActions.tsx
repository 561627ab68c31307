// The page's workflow: publish, schedule (a time in the user's zone), unschedule, unpublish, archive; each offered
// only where the API allows it from the current status and the user holds pages.publish. While the form has
// unsaved changes the actions wait (they answer a new version, which would replace the form's values).
import EventIcon from '@mui/icons-material/Event';
import PublishIcon from '@mui/icons-material/Publish';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
  Typography,
} from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { api, ApiError } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmAction.tsx';
import { userTimeZone, useFormatDateTime } from '../../components/DateTime.tsx';
import type { PageRecord, PageStatus } from './model.ts';
import { canPublish, notifyError, StatusChip } from './parts.tsx';
import { instantToZoned, zonedToInstant } from './zone.ts';

type Action = 'publish' | 'schedule' | 'unschedule' | 'unpublish' | 'archive';

/** From which statuses the panel offers each action (the API's transitions; unpublishing a scheduled page is unscheduling it). */
const OFFERED: Record<Action, readonly PageStatus[]> = {
  publish: ['draft', 'scheduled', 'archived'],
  schedule: ['draft', 'scheduled', 'archived'],
  unschedule: ['scheduled'],
  unpublish: ['published'],
  archive: ['draft', 'scheduled', 'published'],
};
const ORDER: Action[] = ['publish', 'schedule', 'unschedule', 'unpublish', 'archive'];
/** Actions that take a page off the site ask first. */
const CONFIRMED = new Set<Action>(['unpublish', 'archive']);

export function offeredActions(status: string): Action[] {
  return ORDER.filter((action) => (OFFERED[action] as readonly string[]).includes(status));
}

function ScheduleDialog({
  open,
  current,
  busy,
  onClose,
  onSchedule,
}: {
  open: boolean;
  current: string | null;
  busy: boolean;
  onClose: () => void;
  onSchedule: (at: Date) => void;
}) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const zone = userTimeZone();
  const titleId = useId();
  const initial = () => {
    if (current) return instantToZoned(new Date(current), zone);
    const tomorrow = instantToZoned(new Date(Date.now() + 24 * 3600 * 1000), zone);
    return `${tomorrow.slice(0, 10)}T09:00`;
  };
  const [value, setValue] = useState(initial);
  const at = zonedToInstant(value, zone);
  const error = !at
    ? translate('magnetiq.pages.workflow.schedule_invalid')
    : at.getTime() <= Date.now()
      ? translate('magnetiq.pages.workflow.schedule_past')
      : null;
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          event.stopPropagation();
          if (at && !error) onSchedule(at);
        }}
      >
        <DialogTitle id={titleId}>{translate('magnetiq.pages.workflow.schedule_title')}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {translate('magnetiq.pages.workflow.schedule_help')}
          </DialogContentText>
          <TextField
            type="datetime-local"
            label={translate('magnetiq.pages.workflow.schedule_at')}
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
            }}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: instantToZoned(new Date(), zone) } }}
            error={Boolean(error)}
            helperText={
              error ??
              translate('magnetiq.pages.workflow.schedule_zone', {
                zone,
                when: at ? format(at, { dateStyle: 'full', timeStyle: 'short' }) : '',
              })
            }
            fullWidth
            autoFocus
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={Boolean(error) || busy}>
            {translate('magnetiq.pages.workflow.schedule')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** The status line above the editor: where the page stands, and what may happen to it next. */
export function StatusActions({ record, dirty }: { record: PageRecord; dirty: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const [confirming, setConfirming] = useState<Action | null>(null);
  const deleted = record.deleted_at !== null;
  const allowed = canPublish(record.id);
  const actions = deleted ? [] : offeredActions(record.status);

  const run = async (action: Action, scheduledAt?: Date) => {
    setBusy(true);
    try {
      await api<Answer<'publishPage'>>('POST', `/pages/${encodeURIComponent(record.id)}/${action}`, {
        body: {
          version: record.version,
          ...(scheduledAt ? { scheduled_at: scheduledAt.toISOString() } : {}),
        },
      });
      notify(`magnetiq.pages.workflow.done_${action}`, { type: 'success' });
      setScheduling(false);
      setConfirming(null);
    } catch (error) {
      notifyError(notify, error);
      // A stale version: the form has no unsaved edits (the actions wait for them), so the newer page is loaded.
      if (!(error instanceof ApiError) || error.status !== 409) return;
    } finally {
      setBusy(false);
    }
    await queryClient.invalidateQueries({ queryKey: ['pages'] });
  };

  const when =
    record.status === 'scheduled' && record.scheduled_at
      ? translate('magnetiq.pages.workflow.scheduled_for', { when: format(record.scheduled_at) })
      : record.status === 'published' && record.published_at
        ? translate('magnetiq.pages.workflow.published_on', { when: format(record.published_at) })
        : null;

  return (
    <Box
      component="section"
      aria-label={translate('magnetiq.pages.workflow.label')}
      sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 2 }}
    >
      <StatusChip status={record.status} deleted={deleted} />
      {when && <Typography variant="body2">{when}</Typography>}
      <Box sx={{ flexGrow: 1 }} />
      {allowed && actions.length > 0 && dirty && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {translate('magnetiq.pages.workflow.save_first')}
        </Typography>
      )}
      {allowed &&
        actions.map((action) => (
          <Button
            key={action}
            variant={action === 'publish' ? 'contained' : 'outlined'}
            size="small"
            disabled={busy || dirty}
            startIcon={
              action === 'publish' ? <PublishIcon /> : action === 'schedule' ? <EventIcon /> : undefined
            }
            onClick={() => {
              if (action === 'schedule') setScheduling(true);
              else if (CONFIRMED.has(action)) setConfirming(action);
              else void run(action);
            }}
          >
            {translate(
              action === 'schedule' && record.status === 'scheduled'
                ? 'magnetiq.pages.workflow.reschedule'
                : `magnetiq.pages.workflow.${action}`,
            )}
          </Button>
        ))}
      {!allowed && !deleted && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {translate('magnetiq.pages.workflow.not_allowed')}
        </Typography>
      )}
      {deleted && (
        <Alert severity="warning" sx={{ width: '100%' }}>
          {translate('magnetiq.pages.trash.editing_deleted')}
        </Alert>
      )}
      {scheduling && (
        <ScheduleDialog
          open
          current={record.scheduled_at}
          busy={busy}
          onClose={() => {
            setScheduling(false);
          }}
          onSchedule={(at) => void run('schedule', at)}
        />
      )}
      {confirming && (
        <ConfirmDialog
          open
          title={translate(`magnetiq.pages.workflow.confirm_${confirming}_title`)}
          text={translate(`magnetiq.pages.workflow.confirm_${confirming}`)}
          confirmLabel={translate(`magnetiq.pages.workflow.${confirming}`)}
          focusConfirm
          onClose={() => {
            setConfirming(null);
          }}
          run={() => run(confirming)}
        />
      )}
    </Box>
  );
}
