// Images for blocks come from the media library: a dialog lists the library's images (thumbnails are their
// WebP variants, the original where none was made) with a search, and the choice is stored as the media_id.
import ImageIcon from '@mui/icons-material/Image';
import {
  Alert,
  Box,
  Button,
  ButtonBase,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormHelperText,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import {
  required as requiredValidator,
  useInput,
  useLocaleState,
  useTranslate,
  ValidationError,
} from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { inLanguage } from './model.ts';

export type MediaItem = Answer<'listMedia'>['items'][number];
const PER_PAGE = 24;

/** The smallest WebP variant (320 px), or the file itself when the image is smaller or its variants are not made yet. */
export function thumbnailUrl(item: Pick<MediaItem, 'url' | 'variants'>): string {
  const smallest = [...item.variants].sort((a, b) => a.width - b.width)[0];
  return smallest?.url ?? item.url;
}

/** What an image shows to someone who cannot see it: its alt text, else its title, else its file name. */
export function altOf(item: Pick<MediaItem, 'alt_text' | 'title' | 'original_filename'>, locale: string) {
  return (
    inLanguage(item.alt_text, locale).text || inLanguage(item.title, locale).text || item.original_filename
  );
}

export function MediaDialog({
  open,
  onClose,
  onChoose,
}: {
  open: boolean;
  onClose: () => void;
  onChoose: (item: MediaItem) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const [page, setPage] = useState(1);
  const titleId = useId();
  const query = useQuery({
    queryKey: ['pages.media-picker', q, page],
    queryFn: ({ signal }) =>
      api<Answer<'listMedia'>>('GET', '/media', {
        query: { type: 'image', q: q || undefined, page, per_page: PER_PAGE },
        signal,
      }),
    enabled: open,
    placeholderData: (previous) => previous,
  });
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / PER_PAGE)) : 1;

  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{translate('magnetiq.pages.media.choose_title')}</DialogTitle>
      <DialogContent dividers>
        <TextField
          label={translate('magnetiq.pages.media.search')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setPage(1);
          }}
          fullWidth
          size="small"
          sx={{ mb: 2 }}
          autoFocus
        />
        {query.isPending && (
          <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }} role="status">
            <CircularProgress aria-label={translate('magnetiq.states.loading')} />
          </Box>
        )}
        {query.isError && (
          <Alert
            severity="error"
            action={
              <Button color="inherit" onClick={() => void query.refetch()}>
                {translate('magnetiq.states.retry')}
              </Button>
            }
          >
            {query.error.message}
          </Alert>
        )}
        {query.data && query.data.items.length === 0 && (
          <Typography role="status" sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
            {translate(q ? 'magnetiq.pages.media.none_found' : 'magnetiq.pages.media.empty')}
          </Typography>
        )}
        {query.data && query.data.items.length > 0 && (
          <Box
            component="ul"
            sx={{
              listStyle: 'none',
              p: 0,
              m: 0,
              display: 'grid',
              gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
              gap: 1.5,
            }}
          >
            {query.data.items.map((item) => (
              <li key={item.id}>
                <ButtonBase
                  onClick={() => {
                    onChoose(item);
                  }}
                  aria-label={translate('magnetiq.pages.media.choose_item', {
                    name: item.original_filename,
                  })}
                  sx={{
                    width: '100%',
                    display: 'flex',
                    flexDirection: 'column',
                    alignItems: 'stretch',
                    border: 1,
                    borderColor: 'divider',
                    borderRadius: 1,
                    overflow: 'hidden',
                    '&:hover, &.Mui-focusVisible': { borderColor: 'primary.main', outline: '2px solid' },
                  }}
                >
                  <Box
                    component="img"
                    src={thumbnailUrl(item)}
                    alt={altOf(item, locale)}
                    loading="lazy"
                    sx={{ width: '100%', aspectRatio: '4 / 3', objectFit: 'cover', bgcolor: 'grey.100' }}
                  />
                  <Typography
                    variant="caption"
                    sx={{ px: 1, py: 0.5, textAlign: 'left', overflowWrap: 'anywhere' }}
                  >
                    {item.original_filename}
                  </Typography>
                </ButtonBase>
              </li>
            ))}
          </Box>
        )}
      </DialogContent>
      <DialogActions sx={{ justifyContent: 'space-between' }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <Button
            disabled={page <= 1}
            onClick={() => {
              setPage((p) => p - 1);
            }}
          >
            {translate('magnetiq.pages.previous')}
          </Button>
          <Typography variant="body2">
            {translate('magnetiq.pages.media.page_of', { page, pages })}
          </Typography>
          <Button
            disabled={page >= pages}
            onClick={() => {
              setPage((p) => p + 1);
            }}
          >
            {translate('magnetiq.pages.next')}
          </Button>
        </Box>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
      </DialogActions>
    </Dialog>
  );
}

/** A chosen image, shown by its id: the thumbnail and the file name, or why it cannot be shown. */
export function MediaPreview({ id }: { id: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const query = useQuery({
    queryKey: ['pages.media-item', id],
    queryFn: ({ signal }) => api<Answer<'getMedia'>>('GET', `/media/${encodeURIComponent(id)}`, { signal }),
    retry: false,
  });
  if (query.isPending)
    return <CircularProgress size={24} aria-label={translate('magnetiq.states.loading')} />;
  if (query.isError)
    return (
      <Typography variant="body2" color="error">
        {query.error.message}
      </Typography>
    );
  const item = query.data;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, minWidth: 0 }}>
      <Box
        component="img"
        src={thumbnailUrl(item)}
        alt={altOf(item, locale)}
        sx={{
          width: 96,
          height: 72,
          objectFit: 'cover',
          borderRadius: 1,
          bgcolor: 'grey.100',
          flexShrink: 0,
        }}
      />
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
          {item.original_filename}
        </Typography>
        {item.deleted_at && (
          <Typography variant="caption" color="error">
            {translate('magnetiq.pages.media.deleted')}
          </Typography>
        )}
      </Box>
    </Box>
  );
}

/** A media_id field: the chosen image, and buttons to choose one from the library or to remove it. */
export function MediaInput({
  source,
  label,
  required = false,
}: {
  source: string;
  label: string;
  required?: boolean;
}) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const labelId = useId();
  const { field, fieldState } = useInput({
    source,
    validate: required ? [requiredValidator('magnetiq.pages.media.required')] : undefined,
  });
  const value = typeof field.value === 'string' && field.value !== '' ? field.value : undefined;
  const error = fieldState.error?.message;
  return (
    <Box
      role="group"
      aria-labelledby={labelId}
      sx={{ border: 1, borderColor: error ? 'error.main' : 'divider', borderRadius: 1, p: 1.5 }}
    >
      <Typography id={labelId} variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
        {label}
        {required ? ' *' : ''}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        {value ? (
          <MediaPreview id={value} />
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {translate('magnetiq.pages.media.none')}
          </Typography>
        )}
        <Box sx={{ ml: 'auto', display: 'flex', gap: 1 }}>
          <Button
            variant="outlined"
            size="small"
            startIcon={<ImageIcon />}
            onClick={() => {
              setOpen(true);
            }}
          >
            {translate(value ? 'magnetiq.pages.media.change' : 'magnetiq.pages.media.choose')}
          </Button>
          {value && (
            <Button
              size="small"
              color="error"
              onClick={() => {
                field.onChange(null);
              }}
            >
              {translate('magnetiq.pages.media.remove')}
            </Button>
          )}
        </Box>
      </Box>
      {error && (
        <FormHelperText error>
          <ValidationError error={error} />
        </FormHelperText>
      )}
      <MediaDialog
        open={open}
        onClose={() => {
          setOpen(false);
        }}
        onChoose={(item) => {
          field.onChange(item.id);
          setOpen(false);
        }}
      />
    </Box>
  );
}
