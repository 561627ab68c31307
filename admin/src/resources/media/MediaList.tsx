// The media library: a grid of thumbnails (the WebP variants, lazy-loaded), filters (search, type, folder, tag,
// trash) and the upload zone above them.
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import { Box, Card, CardActionArea, Chip, LinearProgress, Stack, Typography } from '@mui/material';
import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import {
  BooleanInput,
  Link,
  List,
  Pagination,
  SelectInput,
  TextInput,
  useCanAccess,
  useCreatePath,
  useListContext,
  useLocaleState,
  useTranslate,
} from 'react-admin';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { ListLoadError } from '../../components/LoadError.tsx';
import { awaitsVariants, inLocale, MediaThumbnail, type MediaItem } from '../../components/MediaPicker.tsx';
import { formatBytes, formatDuration, formatType } from './format.ts';
import { UploadZone } from './UploadZone.tsx';

export const KIND_CHOICES = [
  { id: 'image', name: 'magnetiq.media.kind.image' },
  { id: 'audio', name: 'magnetiq.media.kind.audio' },
  { id: 'video', name: 'magnetiq.media.kind.video' },
  { id: 'document', name: 'magnetiq.media.kind.document' },
];

const filters = [
  <TextInput key="q" source="q" label="magnetiq.media.filters.search" alwaysOn resettable />,
  <SelectInput
    key="type"
    source="type"
    label="resources.media.fields.kind"
    choices={KIND_CHOICES}
    emptyText="magnetiq.media.filters.all_types"
    alwaysOn
  />,
  <TextInput key="folder" source="folder" label="resources.media.fields.folder" alwaysOn resettable />,
  <TextInput key="tag" source="tag" label="magnetiq.media.filters.tag" alwaysOn resettable />,
  <BooleanInput key="trash" source="trash" label="magnetiq.media.filters.trash" alwaysOn />,
];

export function MediaList() {
  return (
    <List
      filters={filters}
      actions={false}
      perPage={24}
      empty={false}
      pagination={<Pagination rowsPerPageOptions={[24, 48, 96]} />}
      error={<ListLoadError />}
      sx={{ '& .RaList-content': { bgcolor: 'transparent', boxShadow: 'none' } }}
    >
      <MediaBody />
    </List>
  );
}

/** How long the grid keeps looking for variants still being made (2 s apart). */
const POLLS = 60;

function MediaBody() {
  const translate = useTranslate();
  const list = useListContext<MediaItem>();
  const { data, isPending, refetch } = list;
  const filterValues = list.filterValues as Record<string, unknown>;
  const { canAccess: canUpload } = useCanAccess({ resource: 'media', action: 'create' });
  const polls = useRef(0);
  const trash = Boolean(filterValues['trash']);
  const folder = typeof filterValues['folder'] === 'string' ? filterValues['folder'].trim() : '';
  const onUploaded = useCallback(() => {
    polls.current = 0;
    void refetch();
  }, [refetch]);

  // Thumbnails are made by a background job shortly after an upload: look again until they are there.
  const waiting = (data ?? []).some(awaitsVariants);
  useEffect(() => {
    if (!waiting || polls.current >= POLLS) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      void refetch();
    }, 2000);
    return () => {
      clearTimeout(timer);
    };
  }, [waiting, data, refetch]);

  const filtered = Object.entries(filterValues).some(([key, value]) => key !== 'trash' && Boolean(value));
  let body: ReactNode;
  if (isPending) {
    body = <LinearProgress aria-label={translate('magnetiq.states.loading')} />;
  } else if (!data || data.length === 0) {
    body = (
      <Typography role="status" sx={{ py: 6, textAlign: 'center', color: 'text.secondary' }}>
        {translate(
          filtered
            ? 'magnetiq.media.empty_filtered'
            : trash
              ? 'magnetiq.media.empty_trash'
              : 'magnetiq.media.empty',
        )}
      </Typography>
    );
  } else {
    body = (
      <Box
        component="ul"
        aria-label={translate('magnetiq.media.grid')}
        sx={{
          listStyle: 'none',
          p: 0,
          m: 0,
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))',
          gap: 2,
        }}
      >
        {data.map((item) => (
          <li key={item.id}>
            <MediaCard item={item} />
          </li>
        ))}
      </Box>
    );
  }
  return (
    <Box sx={{ py: 1 }}>
      {canUpload && !trash && <UploadZone folder={folder || undefined} onUploaded={onUploaded} />}
      {body}
    </Box>
  );
}

/** "PNG · 600 × 400 · 12 KB" */
export function mediaFacts(item: MediaItem, locale: string): string {
  const facts = [formatType(item.mime_type)];
  if (item.width !== null && item.height !== null) facts.push(`${item.width} × ${item.height}`);
  if (item.duration !== null) facts.push(formatDuration(item.duration));
  facts.push(formatBytes(item.file_size, locale));
  return facts.join(' · ');
}

function MediaCard({ item }: { item: MediaItem }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const createPath = useCreatePath();
  const format = useFormatDateTime();
  // Readers without media.write get the same screen without inputs.
  const { canAccess: canEdit } = useCanAccess({ resource: 'media', action: 'edit' });
  const title = inLocale(item.title, locale);
  const missingAlt = item.kind === 'image' && !item.alt_text?.en?.trim();
  return (
    <Card variant="outlined" sx={{ height: '100%', opacity: item.deleted_at ? 0.75 : 1 }}>
      <CardActionArea
        component={Link}
        to={createPath({ resource: 'media', type: canEdit ? 'edit' : 'show', id: item.id })}
        sx={{ height: '100%', display: 'flex', flexDirection: 'column', alignItems: 'stretch' }}
        data-media-id={item.id}
      >
        <MediaThumbnail item={item} height={140} />
        <Box sx={{ p: 1.25, flexGrow: 1, minWidth: 0 }}>
          <Typography variant="body2" noWrap title={item.original_filename} sx={{ fontWeight: 500 }}>
            {item.original_filename}
          </Typography>
          {title && (
            <Typography variant="caption" noWrap component="div" title={title}>
              {title}
            </Typography>
          )}
          <Typography variant="caption" color="text.secondary" component="div">
            {mediaFacts(item, locale)}
          </Typography>
          <Stack direction="row" sx={{ mt: 0.5, gap: 0.5, flexWrap: 'wrap' }}>
            {item.folder && <Chip size="small" variant="outlined" label={item.folder} />}
            {missingAlt && (
              <Chip
                size="small"
                variant="outlined"
                icon={<WarningAmberIcon color="warning" aria-hidden />}
                label={translate('magnetiq.media.no_alt')}
              />
            )}
            {item.deleted_at && (
              <Chip
                size="small"
                icon={<DeleteOutlineIcon aria-hidden />}
                label={translate('magnetiq.media.deleted_on', {
                  date: format(item.deleted_at, { dateStyle: 'medium' }),
                })}
              />
            )}
          </Stack>
        </Box>
      </CardActionArea>
    </Card>
  );
}
