// Small pieces the pages screens share: the status chip, a title in the reader's language, the permission
// checks of the workflow.
import { Box, Chip, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate, type NotificationType } from 'react-admin';
import { currentMe, holds } from '../../auth/session.ts';
import { inLanguage, type PageStatus } from './model.ts';

/** Colours with at least 4.5:1 contrast to their text (axe's colour-contrast rule). */
const STATUS_COLOURS: Record<PageStatus, { bgcolor: string; color: string }> = {
  draft: { bgcolor: '#e0e0e0', color: 'rgba(0,0,0,0.87)' },
  scheduled: { bgcolor: '#0d47a1', color: '#fff' },
  published: { bgcolor: '#1b5e20', color: '#fff' },
  archived: { bgcolor: '#5d4037', color: '#fff' },
};

export function StatusChip({ status, deleted = false }: { status: string; deleted?: boolean }) {
  const translate = useTranslate();
  const known = (Object.hasOwn(STATUS_COLOURS, status) ? status : 'draft') as PageStatus;
  return (
    <Box component="span" sx={{ display: 'inline-flex', gap: 0.5, flexWrap: 'wrap' }}>
      <Chip
        size="small"
        label={translate(`magnetiq.pages.status.${known}`)}
        sx={{ ...STATUS_COLOURS[known], fontWeight: 500 }}
      />
      {deleted && (
        <Chip
          size="small"
          label={translate('magnetiq.pages.trash.in_trash')}
          sx={{ bgcolor: '#b71c1c', color: '#fff' }}
        />
      )}
    </Box>
  );
}

/** The status chip of the record in context (lists). */
export function StatusField({ showDeleted = true }: { label?: string; showDeleted?: boolean }) {
  const record = useRecordContext<{ status: string; deleted_at: string | null }>();
  if (!record) return null;
  return <StatusChip status={record.status} deleted={showDeleted && record.deleted_at !== null} />;
}

/** A bilingual text in the panel's language; English (marked) where there is none. */
export function LocalizedText({ value, variant = 'body2' }: { value: unknown; variant?: 'body2' | 'body1' }) {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const { text, fallback } = inLanguage(value, locale);
  return (
    <Typography component="span" variant={variant}>
      {text || '—'}
      {fallback && (
        <Typography
          component="span"
          variant="caption"
          sx={{ ml: 0.75, color: 'text.secondary' }}
          title={translate('magnetiq.pages.fallback_help')}
        >
          ({translate('magnetiq.pages.fallback')})
        </Typography>
      )}
    </Typography>
  );
}

/** The title of the record in context, in the panel's language. */
export function TitleField(_props: { label?: string }) {
  const record = useRecordContext<{ title: unknown }>();
  if (!record) return null;
  return <LocalizedText value={record.title} />;
}

/** Whether the signed-in user may publish, schedule, unpublish and archive this page (globally or for it). */
export function canPublish(pageId: string | undefined): boolean {
  const me = currentMe();
  if (!me) return false;
  if (me.permissions.includes('pages.publish')) return true;
  return me.scoped_permissions.some(
    (grant) =>
      grant.permission === 'pages.publish' && pageId !== undefined && grant.resource === `page:${pageId}`,
  );
}

/** Whether the user may change this page (globally or for it). */
export function canWrite(pageId?: string): boolean {
  const me = currentMe();
  if (!me) return false;
  if (me.permissions.includes('pages.write')) return true;
  return pageId === undefined
    ? holds(me, 'pages.write')
    : me.scoped_permissions.some(
        (grant) => grant.permission === 'pages.write' && grant.resource === `page:${pageId}`,
      );
}

/** Only super admins delete a page for good. */
export function canPurge(): boolean {
  return currentMe()?.user.role === 'super_admin';
}

/** Shows an error's message (the API's, already in the user's language: not looked up as a key). */
export function notifyError(
  notify: (
    message: string,
    options?: { type?: NotificationType; messageArgs?: Record<string, unknown> },
  ) => void,
  error: unknown,
): void {
  const message = error instanceof Error ? error.message : String(error);
  notify(message, { type: 'error', messageArgs: { _: message } });
}
