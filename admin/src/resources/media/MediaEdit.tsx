// One media item: a preview, what the file is, bilingual title/alt text/caption, folder and tags, where it is
// used, and a delete that names those places and asks before it goes ahead. A deleted item (from the trash) and a
// reader without media.write get the same screen without inputs.
import DeleteIcon from '@mui/icons-material/Delete';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  DialogContentText,
  Divider,
  List as MuiList,
  ListItem,
  ListItemText,
  Paper,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import {
  Edit,
  Link,
  SaveButton,
  Show,
  SimpleForm,
  TextArrayInput,
  TextInput,
  Toolbar,
  required,
  useCreatePath,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
  type TranslateFunction,
  type Validator,
} from 'react-admin';
import { api, ApiError } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { BilingualInput } from '../../components/Bilingual.tsx';
import { ConfirmDialog } from '../../components/ConfirmAction.tsx';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { RestoreButton } from '../../components/RestoreButton.tsx';
import { StaleVersionAlert, useStaleVersion, type StaleVersion } from '../../components/StaleVersion.tsx';
import { inLocale, type MediaItem } from '../../components/MediaPicker.tsx';
import { formatBytes, formatDuration, formatType } from './format.ts';
import { DELETE_ON_TOOLBAR } from './contrast.ts';

type MediaRecord = Answer<'getMedia'>;
export type MediaUsage = Answer<'getMediaUsage'>['items'][number];

const FOLDER_PATTERN = /^[A-Za-z0-9 _-]+(\/[A-Za-z0-9 _-]+)*$/;
const validFolder: Validator = (value: unknown) =>
  typeof value !== 'string' || value === '' || FOLDER_PATTERN.test(value)
    ? undefined
    : 'magnetiq.media.folder_invalid';

export function MediaTitle() {
  const translate = useTranslate();
  const record = useRecordContext<MediaItem>();
  return (
    <span>
      {translate('resources.media.name', { smart_count: 1 })}
      {record ? ` ${record.original_filename}` : ''}
    </span>
  );
}

export function MediaEdit() {
  const conflict = useStaleVersion();
  return (
    <Edit
      mutationMode="pessimistic"
      mutationOptions={conflict.mutationOptions}
      redirect={false}
      actions={false}
      title={<MediaTitle />}
    >
      <MediaEditBody conflict={conflict} />
    </Edit>
  );
}

/** What a reader without media.write sees (the same screen, no inputs). */
export function MediaShow() {
  return (
    <Show actions={false} title={<MediaTitle />}>
      <ShowBody />
    </Show>
  );
}

function ShowBody() {
  const record = useRecordContext<MediaRecord>();
  if (!record) return null;
  return <MediaDetails record={record} />;
}

/** A newer version loaded after a conflict keeps what the user changed (see StaleVersion). */
const KEEP_EDITS = { keepDirtyValues: true };

function MediaEditBody({ conflict }: { conflict: StaleVersion }) {
  const record = useRecordContext<MediaRecord>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.deleted_at) return <MediaDetails record={record} restorable />;
  return (
    <SimpleForm toolbar={<MediaToolbar />} resetOptions={KEEP_EDITS}>
      <StaleVersionAlert conflict={conflict} />
      <Layout
        aside={
          <>
            <MediaPreview record={record} />
            <FileFacts record={record} />
          </>
        }
      >
        <TextInput
          source="original_filename"
          label="resources.media.fields.original_filename"
          validate={required()}
          fullWidth
          slotProps={{ htmlInput: { maxLength: 255 } }}
        />
        <BilingualInput source="title" label={translate('resources.media.fields.title')} maxLength={1000} />
        {record.kind === 'image' && (
          <>
            <BilingualInput
              source="alt_text"
              label={translate('resources.media.fields.alt_text')}
              maxLength={1000}
            />
            <Typography variant="caption" color="text.secondary" sx={{ mt: -1, mb: 2, display: 'block' }}>
              {translate('magnetiq.media.alt_help')}
            </Typography>
          </>
        )}
        <BilingualInput
          source="caption"
          label={translate('resources.media.fields.caption')}
          maxLength={1000}
          multiline
        />
        <TextInput
          source="folder"
          label="resources.media.fields.folder"
          helperText="magnetiq.media.folder_help"
          validate={validFolder}
          fullWidth
          slotProps={{ htmlInput: { maxLength: 200 } }}
        />
        <TextArrayInput
          source="tags"
          label="resources.media.fields.tags"
          helperText="magnetiq.media.tags_help"
          fullWidth
        />
        <WhereUsed id={record.id} />
      </Layout>
    </SimpleForm>
  );
}

function Layout({ aside, children }: { aside: ReactNode; children: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', lg: 'minmax(280px, 1fr) 2fr' },
        gap: 3,
        width: '100%',
        alignItems: 'start',
      }}
    >
      <Box sx={{ minWidth: 0 }}>{aside}</Box>
      <Box sx={{ minWidth: 0 }}>{children}</Box>
    </Box>
  );
}

/**
 * The read-only screen: a deleted item (with the way back for someone who may change it: `restorable`), or a
 * reader who may not change it.
 */
function MediaDetails({ record, restorable = false }: { record: MediaRecord; restorable?: boolean }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const format = useFormatDateTime();
  const rows: [string, string][] = [
    ['resources.media.fields.title', inLocale(record.title, locale)],
    ['resources.media.fields.alt_text', inLocale(record.alt_text, locale)],
    ['resources.media.fields.caption', inLocale(record.caption, locale)],
    ['resources.media.fields.folder', record.folder ?? ''],
    ['resources.media.fields.tags', record.tags.join(', ')],
  ];
  return (
    <Box sx={{ p: 2 }}>
      {record.deleted_at && (
        <Alert
          severity="warning"
          sx={{ mb: 2 }}
          action={restorable ? <RestoreMedia record={record} /> : undefined}
        >
          {translate('magnetiq.media.deleted_notice', {
            date: format(record.deleted_at),
          })}
        </Alert>
      )}
      <Layout
        aside={
          <>
            <MediaPreview record={record} />
            <FileFacts record={record} />
          </>
        }
      >
        <Box component="dl" sx={{ m: 0, '& dt': { fontWeight: 500, mt: 1.5 }, '& dd': { m: 0 } }}>
          {rows.map(([label, value]) => (
            <Box key={label}>
              <Typography component="dt" variant="body2">
                {translate(label)}
              </Typography>
              <Typography component="dd" variant="body2" color={value ? 'text.primary' : 'text.secondary'}>
                {value || '—'}
              </Typography>
            </Box>
          ))}
        </Box>
        <WhereUsed id={record.id} />
      </Layout>
    </Box>
  );
}

/** Brings a deleted item back; the screen then shows it as editable again. */
function RestoreMedia({ record }: { record: MediaRecord }) {
  const refresh = useRefresh();
  return (
    <RestoreButton
      inAlert
      path={`/media/${record.id}/restore`}
      name={record.original_filename}
      label={{ text: 'magnetiq.media.restore' }}
      restored="magnetiq.media.restored"
      onRestored={refresh}
    />
  );
}

function MediaPreview({ record }: { record: MediaItem }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  // The largest variant up to 768 px wide is plenty for a preview; small images and SVGs have none.
  const variant = [...record.variants].reverse().find((v) => v.width <= 768) ?? record.variants[0];
  const frame = {
    bgcolor: 'action.hover',
    borderRadius: 1,
    overflow: 'hidden',
    display: 'flex',
    justifyContent: 'center',
    alignItems: 'center',
    minHeight: 160,
  } as const;
  let content: ReactNode;
  if (record.deleted_at) {
    content = (
      <Typography variant="body2" color="text.secondary" sx={{ p: 3 }}>
        {translate('magnetiq.media.not_served')}
      </Typography>
    );
  } else if (record.kind === 'image') {
    content = (
      <img
        src={variant?.url ?? record.url}
        alt={inLocale(record.alt_text, locale)}
        style={{ maxWidth: '100%', maxHeight: 420, display: 'block', objectFit: 'contain' }}
      />
    );
  } else if (record.kind === 'audio') {
    content = (
      <audio controls src={record.url} style={{ width: '100%' }} preload="metadata">
        <track kind="captions" />
      </audio>
    );
  } else if (record.kind === 'video') {
    content = (
      <video controls src={record.url} style={{ maxWidth: '100%', maxHeight: 420 }} preload="metadata">
        <track kind="captions" />
      </video>
    );
  } else {
    content = (
      <Typography variant="h4" component="p" color="text.secondary" sx={{ p: 4 }}>
        {formatType(record.mime_type)}
      </Typography>
    );
  }
  return (
    <Box component="figure" sx={{ m: 0, mb: 2 }}>
      <Box sx={frame}>{content}</Box>
      {!record.deleted_at && (
        <Button
          href={record.url}
          target="_blank"
          rel="noopener"
          size="small"
          startIcon={<OpenInNewIcon aria-hidden />}
          sx={{ mt: 1 }}
        >
          {translate('magnetiq.media.open_original')}
        </Button>
      )}
    </Box>
  );
}

function FileFacts({ record }: { record: MediaItem }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const format = useFormatDateTime();
  const facts: [string, string][] = [
    ['magnetiq.media.facts.type', `${formatType(record.mime_type)} (${record.mime_type})`],
    ['magnetiq.media.facts.size', formatBytes(record.file_size, locale)],
  ];
  if (record.width !== null && record.height !== null) {
    facts.push(['magnetiq.media.facts.dimensions', `${record.width} × ${record.height} px`]);
  }
  if (record.duration !== null)
    facts.push(['magnetiq.media.facts.duration', formatDuration(record.duration)]);
  if (record.kind === 'image' && record.mime_type !== 'image/svg+xml') {
    facts.push([
      'magnetiq.media.facts.variants',
      record.variants.length > 0
        ? record.variants.map((v) => `${v.width} px`).join(', ')
        : translate(
            record.width !== null && record.width > 320
              ? 'magnetiq.media.facts.variants_pending'
              : 'magnetiq.media.facts.variants_none',
          ),
    ]);
  }
  facts.push(['magnetiq.media.facts.uploaded', format(record.created_at)]);
  facts.push(['magnetiq.media.facts.updated', format(record.updated_at)]);
  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2 }}>
      <Box
        component="dl"
        sx={{
          m: 0,
          display: 'grid',
          gridTemplateColumns: 'auto 1fr',
          columnGap: 2,
          rowGap: 0.5,
          '& dd': { m: 0, minWidth: 0, overflowWrap: 'anywhere' },
        }}
      >
        {facts.map(([label, value]) => (
          <Box key={label} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {translate(label)}
            </Typography>
            <Typography component="dd" variant="body2">
              {value}
            </Typography>
          </Box>
        ))}
      </Box>
    </Paper>
  );
}

/** The resource of the panel a usage's record is edited in. */
const USAGE_RESOURCES: Record<string, string> = { page: 'pages', consultant: 'consultants' };

/** Where in the record, for people: "Profile photo", "Block 3 (hero)", "Social media image". */
export function usagePlace(usage: MediaUsage, translate: TranslateFunction): string {
  const block = /^blocks\[(\d+)\]$/.exec(usage.where);
  if (block) {
    const number = Number(block[1]) + 1;
    return usage.detail
      ? translate('magnetiq.media.usage.block_of_type', { number, type: usage.detail })
      : translate('magnetiq.media.usage.block', { number });
  }
  return translate(`magnetiq.media.usage.where.${usage.where}`, { _: usage.where });
}

export function usageKind(usage: MediaUsage, translate: TranslateFunction): string {
  return translate(`magnetiq.media.usage.kind.${usage.kind}`, { _: usage.kind });
}

function usageStatus(usage: MediaUsage, translate: TranslateFunction): string {
  return translate(`magnetiq.media.usage.status.${usage.status}`, { _: usage.status });
}

export const usageQueryKey = (id: string) => ['media', 'usage', id];

function useUsage(id: string, enabled = true) {
  return useQuery({
    queryKey: usageQueryKey(id),
    queryFn: ({ signal }) => api<Answer<'getMediaUsage'>>('GET', `/media/${id}/usage`, { signal }),
    enabled,
    staleTime: 0,
  });
}

function UsageList({ items }: { items: MediaUsage[] }) {
  const translate = useTranslate();
  const createPath = useCreatePath();
  return (
    <MuiList dense disablePadding>
      {items.map((usage) => {
        const resource = USAGE_RESOURCES[usage.kind];
        const name = resource ? (
          <Link to={createPath({ resource, type: 'edit', id: usage.id })}>{usage.label}</Link>
        ) : (
          usage.label
        );
        return (
          <ListItem key={`${usage.kind}:${usage.id}:${usage.where}`} disableGutters>
            <ListItemText
              primary={
                <>
                  {usageKind(usage, translate)}: {name}
                </>
              }
              secondary={`${usagePlace(usage, translate)} · ${usageStatus(usage, translate)}`}
            />
          </ListItem>
        );
      })}
    </MuiList>
  );
}

function WhereUsed({ id }: { id: string }) {
  const translate = useTranslate();
  const headingId = useId();
  const usage = useUsage(id);
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ mt: 2, width: '100%' }}>
      <Divider sx={{ mb: 2 }} />
      <Typography id={headingId} component="h2" variant="subtitle1" sx={{ fontWeight: 500 }}>
        {translate('magnetiq.media.usage.title')}
      </Typography>
      {usage.isPending ? (
        <CircularProgress size={24} aria-label={translate('magnetiq.states.loading')} sx={{ m: 1 }} />
      ) : usage.isError ? (
        <LoadError error={usage.error} onRetry={() => void usage.refetch()} />
      ) : usage.data.items.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('magnetiq.media.usage.none')}
        </Typography>
      ) : (
        <UsageList items={usage.data.items} />
      )}
    </Box>
  );
}

function MediaToolbar() {
  return (
    <Toolbar sx={{ display: 'flex', justifyContent: 'space-between' }}>
      <SaveButton />
      <MediaDeleteButton />
    </Toolbar>
  );
}

/** Delete, after a dialog that says where the item is used (fresh from the API) and what deleting changes. */
function MediaDeleteButton() {
  const record = useRecordContext<MediaItem>();
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const usage = useUsage(record?.id ?? '', open && Boolean(record));
  if (!record) return null;

  const openDialog = () => {
    setOpen(true);
    void usage.refetch();
  };
  const uses = usage.data?.items ?? [];
  const ready = open && !usage.isFetching && usage.isSuccess;

  const confirm = async () => {
    try {
      await api('DELETE', `/media/${record.id}`, {
        query: { version: record.version, ...(uses.length > 0 ? { confirm: true } : {}) },
      });
    } catch (caught) {
      // It came into use meanwhile (the list is read again), a stale version, or a use the user may not release.
      if (caught instanceof ApiError && caught.code === 'media.in_use') void usage.refetch();
      throw caught;
    }
    setOpen(false);
    await queryClient.invalidateQueries({ queryKey: ['media'] });
    await queryClient.invalidateQueries({ queryKey: ['consultants'] });
    notify('magnetiq.media.deleted', { type: 'info', messageArgs: { name: record.original_filename } });
    redirect('list', 'media');
  };

  const kinds = new Set(uses.map((u) => u.kind));
  return (
    <>
      <Button color="error" startIcon={<DeleteIcon />} onClick={openDialog} sx={DELETE_ON_TOOLBAR}>
        {translate('ra.action.delete')}
      </Button>
      <ConfirmDialog
        open={open}
        title={translate('magnetiq.media.delete.title', { name: record.original_filename })}
        confirmLabel={translate(uses.length > 0 ? 'magnetiq.media.delete.confirm_used' : 'ra.action.delete')}
        danger
        icon={<DeleteIcon />}
        disabled={!ready}
        onClose={() => {
          setOpen(false);
        }}
        run={confirm}
      >
        {!ready ? (
          usage.isError ? (
            <LoadError error={usage.error} onRetry={() => void usage.refetch()} />
          ) : (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 3 }}>
              <CircularProgress aria-label={translate('magnetiq.states.loading')} />
            </Box>
          )
        ) : uses.length === 0 ? (
          <DialogContentText>{translate('magnetiq.media.delete.unused')}</DialogContentText>
        ) : (
          <>
            <DialogContentText>
              {translate('magnetiq.media.delete.used', { smart_count: uses.length })}
            </DialogContentText>
            <UsageList items={uses} />
            {kinds.has('consultant') && (
              <DialogContentText sx={{ mt: 1 }}>
                {translate('magnetiq.media.delete.consequence_consultant')}
              </DialogContentText>
            )}
            {kinds.has('page') && (
              <DialogContentText sx={{ mt: 1 }}>
                {translate('magnetiq.media.delete.consequence_page')}
              </DialogContentText>
            )}
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
