// Uploading to the library: files dropped on the zone or chosen with its button (for keyboard users), sent one
// after another, each with its own progress and the API's answer: uploaded, already in the library (with a link
// to the existing item), or the API's error in its words (type not allowed, too large, …).
import CloudUploadIcon from '@mui/icons-material/CloudUpload';
import { Alert, Box, Button, IconButton, LinearProgress, List, ListItem, Typography } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Link, useCreatePath, useLocaleState, useTranslate } from 'react-admin';
import { ApiError } from '../../api/http.ts';
import { formatBytes } from './format.ts';
import { uploadMedia, type UploadedItem, type UploadHandle } from './upload.ts';

type Status = 'queued' | 'uploading' | 'done' | 'duplicate' | 'error' | 'cancelled';

interface Entry {
  key: number;
  file: File;
  status: Status;
  progress: number;
  item?: UploadedItem;
  error?: string;
}

let nextKey = 1;

export function UploadZone({ folder, onUploaded }: { folder?: string | undefined; onUploaded: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const createPath = useCreatePath();
  const headingId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const running = useRef<{ key: number; handle: UploadHandle } | null>(null);

  const patch = useCallback((key: number, change: Partial<Entry>) => {
    setEntries((current) => current.map((entry) => (entry.key === key ? { ...entry, ...change } : entry)));
  }, []);

  const add = (files: FileList | File[] | null) => {
    const list = files ? Array.from(files) : [];
    if (list.length === 0) return;
    setEntries((current) => [
      ...current,
      ...list.map((file) => ({ key: nextKey++, file, status: 'queued' as const, progress: 0 })),
    ]);
  };

  // One upload at a time: the next waiting file starts when the last one has its answer.
  const uploading = entries.some((entry) => entry.status === 'uploading');
  const next = entries.find((entry) => entry.status === 'queued');
  useEffect(() => {
    if (uploading || !next) return;
    const { key, file } = next;
    patch(key, { status: 'uploading', progress: 0 });
    const handle = uploadMedia(
      file,
      folder ? { folder } : {},
      (fraction) => {
        patch(key, { progress: fraction });
      },
      translate('magnetiq.media.upload.network_error'),
    );
    running.current = { key, handle };
    handle.done.then(
      (item) => {
        patch(key, { status: item.duplicate ? 'duplicate' : 'done', progress: 1, item });
        onUploaded();
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.code === 'aborted') patch(key, { status: 'cancelled' });
        else
          patch(key, {
            status: 'error',
            error: error instanceof Error ? error.message : translate('magnetiq.states.error'),
          });
      },
    );
  }, [uploading, next, folder, patch, onUploaded, translate]);

  // Leaving the screen stops the upload under way.
  useEffect(() => () => running.current?.handle.abort(), []);

  const cancel = (entry: Entry) => {
    if (entry.status === 'uploading' && running.current?.key === entry.key) running.current.handle.abort();
    else patch(entry.key, { status: 'cancelled' });
  };

  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');
  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setDragging(true);
  };
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    add(event.dataTransfer.files);
  };

  const finished = entries.filter((entry) => !['queued', 'uploading'].includes(entry.status));

  return (
    <Box component="section" aria-labelledby={headingId} sx={{ mb: 2 }}>
      <Box
        data-testid="media-drop-zone"
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        sx={{
          border: 2,
          borderStyle: 'dashed',
          borderColor: dragging ? 'primary.main' : 'divider',
          bgcolor: dragging ? 'action.selected' : 'background.paper',
          borderRadius: 2,
          p: 3,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          gap: 2,
          flexWrap: 'wrap',
          textAlign: 'center',
        }}
      >
        <CloudUploadIcon color={dragging ? 'primary' : 'action'} sx={{ fontSize: 40 }} aria-hidden />
        <Box>
          <Typography id={headingId} component="h2" variant="subtitle1">
            {translate(dragging ? 'magnetiq.media.upload.drop_now' : 'magnetiq.media.upload.drop_here')}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {folder
              ? translate('magnetiq.media.upload.into_folder', { folder })
              : translate('magnetiq.media.upload.hint')}
          </Typography>
        </Box>
        <Button variant="contained" onClick={() => input.current?.click()}>
          {translate('magnetiq.media.upload.choose')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          aria-label={translate('magnetiq.media.upload.choose')}
          onChange={(event) => {
            add(event.target.files);
            event.target.value = '';
          }}
        />
      </Box>
      {entries.length > 0 && (
        <>
          <List dense aria-label={translate('magnetiq.media.upload.list')}>
            {entries.map((entry) => (
              <UploadRow
                key={entry.key}
                entry={entry}
                locale={locale}
                editPath={(id) => createPath({ resource: 'media', type: 'edit', id })}
                onCancel={() => {
                  cancel(entry);
                }}
              />
            ))}
          </List>
          {finished.length > 0 && (
            <Button
              size="small"
              onClick={() => {
                setEntries((current) =>
                  current.filter((entry) => ['queued', 'uploading'].includes(entry.status)),
                );
              }}
            >
              {translate('magnetiq.media.upload.clear')}
            </Button>
          )}
        </>
      )}
    </Box>
  );
}

function UploadRow({
  entry,
  locale,
  editPath,
  onCancel,
}: {
  entry: Entry;
  locale: string;
  editPath: (id: string) => string;
  onCancel: () => void;
}) {
  const translate = useTranslate();
  const percent = Math.round(entry.progress * 100);
  const active = entry.status === 'queued' || entry.status === 'uploading';
  const name = entry.file.name;
  return (
    <ListItem
      divider
      sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr) auto', gap: 2 }}
      data-upload={entry.status}
    >
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" noWrap title={name}>
          {name}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {formatBytes(entry.file.size, locale)}
        </Typography>
      </Box>
      <Box sx={{ minWidth: 0 }} role="status">
        {entry.status === 'uploading' || entry.status === 'queued' ? (
          <>
            <LinearProgress
              variant={entry.status === 'queued' ? 'indeterminate' : 'determinate'}
              value={percent}
              aria-label={translate('magnetiq.media.upload.progress', { name })}
              color={entry.status === 'queued' ? 'inherit' : 'primary'}
            />
            <Typography variant="caption" color="text.secondary">
              {entry.status === 'queued'
                ? translate('magnetiq.media.upload.queued')
                : percent < 100
                  ? translate('magnetiq.media.upload.uploading', { percent })
                  : translate('magnetiq.media.upload.checking')}
            </Typography>
          </>
        ) : entry.status === 'done' && entry.item ? (
          <Alert severity="success" variant="outlined" sx={{ py: 0 }}>
            {translate('magnetiq.media.upload.done')}{' '}
            <Link to={editPath(entry.item.id)}>{translate('magnetiq.media.upload.edit_details')}</Link>
          </Alert>
        ) : entry.status === 'duplicate' && entry.item ? (
          <Alert severity="info" variant="outlined" sx={{ py: 0 }}>
            {translate('magnetiq.media.upload.duplicate', { name: entry.item.original_filename })}{' '}
            <Link to={editPath(entry.item.id)}>{translate('magnetiq.media.upload.open_existing')}</Link>
          </Alert>
        ) : entry.status === 'error' ? (
          <Alert severity="error" variant="outlined" sx={{ py: 0 }}>
            {entry.error}
          </Alert>
        ) : (
          <Typography variant="caption" color="text.secondary">
            {translate('magnetiq.media.upload.cancelled')}
          </Typography>
        )}
      </Box>
      <Box sx={{ width: 40 }}>
        {active && (
          <IconButton
            size="small"
            onClick={onCancel}
            aria-label={translate('magnetiq.media.upload.cancel', { name })}
          >
            <CloseIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
    </ListItem>
  );
}
