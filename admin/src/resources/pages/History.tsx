// The page's history from the audit trail: who changed what and when, each change field by field (before and
// after), and the content as it was before a change brought back as a new version.
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import RestoreIcon from '@mui/icons-material/Restore';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  Box,
  Button,
  CircularProgress,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmAction.tsx';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { DiffTable, useFieldLabel } from './Diff.tsx';
import type { HistoryEntry, PageRecord } from './model.ts';
import { canWrite, notifyError } from './parts.tsx';

const PER_PAGE = 20;
/** Columns every write touches: not what a person changed. */
const BOOKKEEPING = new Set([
  'id',
  'updated_at',
  'updated_by',
  'version',
  'created_at',
  'created_by',
  'search_vector',
]);
/** What a creation is shown with. */
const CREATED_FIELDS = ['slug', 'title', 'status', 'parent_id'];
const EVENTS = new Set(['INSERT', 'UPDATE', 'SOFT_DELETE', 'RESTORE', 'DELETE']);

const record = (value: unknown) =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/** The fields an entry shows: what changed (for a creation, what it was created with). */
export function shownFields(entry: HistoryEntry): string[] {
  if (entry.event_type === 'INSERT') return CREATED_FIELDS.filter((f) => f in record(entry.new_values));
  return (entry.changed_fields ?? []).filter((field) => !BOOKKEEPING.has(field));
}

function Entry({
  entry,
  canRestore,
  onRestore,
}: {
  entry: HistoryEntry;
  canRestore: boolean;
  onRestore: (entry: HistoryEntry) => void;
}) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const label = useFieldLabel();
  const fields = shownFields(entry);
  const restorable = entry.event_type === 'INSERT' || entry.event_type === 'UPDATE';
  const event = EVENTS.has(entry.event_type) ? entry.event_type.toLowerCase() : 'other';
  const oldValues = record(entry.old_values);
  const newValues = record(entry.new_values);
  return (
    <Accordion disableGutters variant="outlined" slotProps={{ transition: { unmountOnExit: true } }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box
          sx={{
            display: 'flex',
            flexWrap: 'wrap',
            columnGap: 2,
            rowGap: 0.5,
            alignItems: 'baseline',
            minWidth: 0,
          }}
        >
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {translate(`magnetiq.pages.history.events.${event}`)}
          </Typography>
          <Typography variant="body2">
            <time dateTime={entry.created_at}>{format(entry.created_at)}</time>
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {entry.user_email ?? translate('magnetiq.pages.history.system')}
          </Typography>
          {fields.length > 0 && entry.event_type === 'UPDATE' && (
            <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
              {fields.map(label).join(', ')}
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        {fields.length > 0 ? (
          <DiffTable
            caption={translate('magnetiq.pages.history.diff_caption')}
            columns={[translate('magnetiq.pages.history.before'), translate('magnetiq.pages.history.after')]}
            rows={fields.map((field) => ({
              field,
              values: [entry.event_type === 'INSERT' ? undefined : oldValues[field], newValues[field]],
            }))}
          />
        ) : (
          <Typography variant="body2">{translate('magnetiq.pages.history.no_fields')}</Typography>
        )}
        {restorable && canRestore && (
          <Button
            startIcon={<RestoreIcon />}
            sx={{ mt: 1.5 }}
            onClick={() => {
              onRestore(entry);
            }}
          >
            {translate(
              entry.event_type === 'INSERT'
                ? 'magnetiq.pages.history.restore_created'
                : 'magnetiq.pages.history.restore_before',
            )}
          </Button>
        )}
      </AccordionDetails>
    </Accordion>
  );
}

export function HistoryPanel({ page, dirty }: { page: PageRecord; dirty: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [at, setAt] = useState(1);
  const [restoring, setRestoring] = useState<HistoryEntry | null>(null);
  const query = useQuery({
    queryKey: ['pages', 'history', page.id, at, page.version],
    queryFn: ({ signal }) =>
      api<Answer<'listPageHistory'>>('GET', `/pages/${encodeURIComponent(page.id)}/history`, {
        query: { page: at, per_page: PER_PAGE },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
  const allowed = canWrite(page.id) && page.deleted_at === null;
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / PER_PAGE)) : 1;

  const restore = async (entry: HistoryEntry) => {
    try {
      await api<Answer<'restorePageFromHistory'>>(
        'POST',
        `/pages/${encodeURIComponent(page.id)}/history/${encodeURIComponent(entry.id)}/restore`,
        { body: { version: page.version } },
      );
      notify('magnetiq.pages.history.restored', { type: 'success' });
      setRestoring(null);
      await queryClient.invalidateQueries({ queryKey: ['pages'] });
    } catch (error) {
      notifyError(notify, error);
    }
  };

  if (query.isPending)
    return (
      <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }} role="status">
        <CircularProgress aria-label={translate('magnetiq.states.loading')} />
      </Box>
    );
  if (query.isError)
    return <LoadError error={query.error} onRetry={() => void query.refetch()} sx={{ m: 0 }} />;
  if (query.data.items.length === 0)
    return (
      <Typography role="status" sx={{ color: 'text.secondary', py: 2 }}>
        {translate('magnetiq.pages.history.empty')}
      </Typography>
    );

  return (
    <Box sx={{ width: '100%' }}>
      {allowed && dirty && (
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('magnetiq.pages.history.save_first')}
        </Alert>
      )}
      {query.data.items.map((entry) => (
        <Entry key={entry.id} entry={entry} canRestore={allowed && !dirty} onRestore={setRestoring} />
      ))}
      {pages > 1 && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 2 }}>
          <Button
            disabled={at <= 1}
            onClick={() => {
              setAt((n) => n - 1);
            }}
          >
            {translate('magnetiq.pages.previous')}
          </Button>
          <Typography variant="body2">
            {translate('magnetiq.pages.media.page_of', { page: at, pages })}
          </Typography>
          <Button
            disabled={at >= pages}
            onClick={() => {
              setAt((n) => n + 1);
            }}
          >
            {translate('magnetiq.pages.next')}
          </Button>
        </Box>
      )}
      {restoring && (
        <ConfirmDialog
          open
          title={translate('magnetiq.pages.history.restore_title')}
          text={translate(
            restoring.event_type === 'INSERT'
              ? 'magnetiq.pages.history.restore_created_confirm'
              : 'magnetiq.pages.history.restore_confirm',
          )}
          confirmLabel={translate('magnetiq.pages.history.restore')}
          focusConfirm
          onClose={() => {
            setRestoring(null);
          }}
          run={() => restore(restoring)}
        />
      )}
    </Box>
  );
}
