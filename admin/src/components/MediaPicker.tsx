// Choosing a file from the media library: a dialog of thumbnails (the WebP variants) with a search, for a
// consultant's photo, a page block's image, a social image; and a form input holding a chosen image's id (a
// page block's image). Also the pieces every screen showing media uses: the thumbnail of an item and the id
// behind a media file URL.
import AudioFileIcon from '@mui/icons-material/AudioFile';
import DescriptionIcon from '@mui/icons-material/Description';
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import ImageIcon from '@mui/icons-material/Image';
import VideoFileIcon from '@mui/icons-material/VideoFile';
import {
  Box,
  Button,
  ButtonBase,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormHelperText,
  InputAdornment,
  TextField,
  Typography,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import {
  required as requiredValidator,
  useInput,
  useLocaleState,
  useTranslate,
  ValidationError,
} from 'react-admin';
import { api } from '../api/http.ts';
import type { Answer } from '../api/types.ts';
import { LoadError } from './LoadError.tsx';

/** A media item as the API answers it in lists (getMedia adds used_in). */
export type MediaItem = Answer<'listMedia'>['items'][number];
export type MediaKind = MediaItem['kind'];

const MEDIA_FILE = /^\/api\/v1\/media\/([0-9a-fA-F-]{36})\/file$/;

/** The media id behind a file URL of the library (/api/v1/media/<id>/file), else undefined. */
export function mediaIdFromUrl(url: string | null | undefined): string | undefined {
  return url ? MEDIA_FILE.exec(url)?.[1]?.toLowerCase() : undefined;
}

/** A bilingual text in `locale`, else the English (the site falls back the same way). */
export function inLocale(text: { en?: string; de?: string } | null | undefined, locale: string): string {
  if (!text) return '';
  const own = locale === 'de' ? text.de : text.en;
  return own?.trim() ? own : (text.en ?? '');
}

/** The variant widths the server makes (only those narrower than the original exist). */
export const THUMBNAIL_WIDTH = 320;

/**
 * Whether an image still waits for its WebP variants (a background job makes them shortly after the upload, for
 * raster images wider than the smallest variant): its thumbnail is not there yet.
 */
export function awaitsVariants(item: MediaItem): boolean {
  return (
    item.kind === 'image' &&
    item.mime_type !== 'image/svg+xml' &&
    item.variants.length === 0 &&
    item.width !== null &&
    item.width > THUMBNAIL_WIDTH &&
    !item.deleted_at
  );
}

/**
 * What shows an item small: its smallest WebP variant; the original when it is small or a vector (no variants are
 * made then); null for what is not an image.
 */
export function thumbnailOf(item: Pick<MediaItem, 'kind' | 'url' | 'variants'>): string | null {
  if (item.kind !== 'image') return null;
  const smallest = item.variants.reduce<MediaItem['variants'][number] | undefined>(
    (least, variant) => (least && least.width <= variant.width ? least : variant),
    undefined,
  );
  return smallest?.url ?? item.url;
}

/** What an image says to someone who cannot see it: its alt text, else its title, else its file name. */
export function altOf(item: Pick<MediaItem, 'alt_text' | 'title' | 'original_filename'>, locale: string) {
  return inLocale(item.alt_text, locale) || inLocale(item.title, locale) || item.original_filename;
}

const KIND_ICONS: Record<MediaKind, typeof DescriptionIcon> = {
  image: DescriptionIcon,
  audio: AudioFileIcon,
  video: VideoFileIcon,
  document: DescriptionIcon,
};

/**
 * An item's thumbnail, filling its box (lazy-loaded, with the alt text in the panel's language; `alt` replaces
 * it where the image must say what it is even without one).
 */
export function MediaThumbnail({
  item,
  height = 140,
  alt,
}: {
  item: MediaItem;
  height?: number | string;
  alt?: string;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const source = awaitsVariants(item) ? 'pending' : thumbnailOf(item);
  const box = {
    height,
    width: '100%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    bgcolor: 'action.hover',
    color: 'text.secondary',
    overflow: 'hidden',
  } as const;
  if (source === 'pending') {
    return (
      <Box sx={{ ...box, flexDirection: 'column', gap: 0.5 }}>
        <HourglassTopIcon aria-hidden />
        <Typography variant="caption">{translate('magnetiq.media_picker.preview_pending')}</Typography>
      </Box>
    );
  }
  if (source === null) {
    const Icon = KIND_ICONS[item.kind];
    return (
      <Box sx={box}>
        <Icon sx={{ fontSize: 48 }} aria-hidden />
      </Box>
    );
  }
  return (
    <Box sx={box}>
      <img
        src={source}
        alt={alt ?? inLocale(item.alt_text, locale)}
        loading="lazy"
        decoding="async"
        style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain', display: 'block' }}
      />
    </Box>
  );
}

const PER_PAGE = 24;

/**
 * A dialog of the library's items (images by default) to choose one from; a search narrows them. `onChoose` gets
 * the item; the dialog closes itself only through `onClose`.
 */
export function MediaPicker({
  open,
  onClose,
  onChoose,
  kind = 'image',
  title,
}: {
  open: boolean;
  onClose: () => void;
  onChoose: (item: MediaItem) => void;
  /** Which kind of items to offer (null: every kind). */
  kind?: MediaKind | null;
  /** The dialog's title (default: "Choose an image" / "Choose a file"). */
  title?: string;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const titleId = useId();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);

  // The search is sent once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search.trim());
      setPage(1);
    }, 300);
    return () => {
      clearTimeout(timer);
    };
  }, [search]);

  const query = useQuery({
    queryKey: ['media-picker', kind, q, page],
    queryFn: ({ signal }) =>
      api<Answer<'listMedia'>>('GET', '/media', {
        query: { type: kind ?? undefined, q: q || undefined, page, per_page: PER_PAGE },
        signal,
      }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / PER_PAGE)) : 1;

  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby={titleId}>
      <DialogTitle id={titleId}>
        {title ??
          translate(
            kind === 'image' ? 'magnetiq.media_picker.title_image' : 'magnetiq.media_picker.title_file',
          )}
      </DialogTitle>
      <DialogContent dividers>
        <TextField
          label={translate('magnetiq.media_picker.search')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
          }}
          fullWidth
          size="small"
          autoFocus
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon aria-hidden />
                </InputAdornment>
              ),
            },
          }}
          sx={{ mb: 2 }}
        />
        {query.isPending ? (
          <Box sx={{ display: 'flex', justifyContent: 'center', py: 6 }} role="status">
            <CircularProgress aria-label={translate('magnetiq.states.loading')} />
          </Box>
        ) : query.isError ? (
          <LoadError error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <Typography role="status" sx={{ py: 6, textAlign: 'center', color: 'text.secondary' }}>
            {translate(q ? 'magnetiq.media_picker.no_match' : 'magnetiq.media_picker.empty')}
          </Typography>
        ) : (
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
                  aria-label={translate('magnetiq.media_picker.choose_item', {
                    name: item.original_filename,
                  })}
                  sx={{
                    display: 'block',
                    width: '100%',
                    textAlign: 'left',
                    borderRadius: 1,
                    border: 1,
                    borderColor: 'divider',
                    overflow: 'hidden',
                    '&:hover, &.Mui-focusVisible': { borderColor: 'primary.main', outline: '2px solid' },
                  }}
                >
                  <MediaThumbnail item={item} height={110} alt={altOf(item, locale)} />
                  <Typography variant="caption" noWrap component="div" sx={{ px: 1, py: 0.5 }}>
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
          {pages > 1 && (
            <>
              <Button
                size="small"
                disabled={page <= 1}
                onClick={() => {
                  setPage(page - 1);
                }}
              >
                {translate('magnetiq.media_picker.previous')}
              </Button>
              <Typography variant="body2">
                {translate('magnetiq.media_picker.page', { page, pages })}
              </Typography>
              <Button
                size="small"
                disabled={page >= pages}
                onClick={() => {
                  setPage(page + 1);
                }}
              >
                {translate('magnetiq.media_picker.next')}
              </Button>
            </>
          )}
        </Box>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
      </DialogActions>
    </Dialog>
  );
}

/** A chosen image, shown by its id: the thumbnail and the file name, or why it cannot be shown. */
function MediaPreview({ id }: { id: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const query = useQuery({
    queryKey: ['media', 'preview', id],
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
      <Box sx={{ width: 96, borderRadius: 1, overflow: 'hidden', flexShrink: 0 }}>
        <MediaThumbnail item={item} height={72} alt={altOf(item, locale)} />
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
          {item.original_filename}
        </Typography>
        {item.deleted_at && (
          <Typography variant="caption" color="error">
            {translate('magnetiq.media_picker.deleted')}
          </Typography>
        )}
      </Box>
    </Box>
  );
}

/**
 * A form input holding an image's media id (a page block's image): the chosen image, and buttons to choose one
 * in the picker (titled `pickerTitle`) or to remove it.
 */
export function MediaInput({
  source,
  label,
  required = false,
  pickerTitle,
}: {
  source: string;
  label: string;
  required?: boolean;
  pickerTitle?: string;
}) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const labelId = useId();
  const { field, fieldState } = useInput({
    source,
    validate: required ? [requiredValidator('magnetiq.media_picker.required')] : undefined,
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
            {translate('magnetiq.media_picker.none')}
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
            {translate(value ? 'magnetiq.media_picker.change' : 'magnetiq.media_picker.choose')}
          </Button>
          {value && (
            <Button
              size="small"
              color="error"
              onClick={() => {
                field.onChange(null);
              }}
            >
              {translate('magnetiq.media_picker.remove')}
            </Button>
          )}
        </Box>
      </Box>
      {error && (
        <FormHelperText error>
          <ValidationError error={error} />
        </FormHelperText>
      )}
      <MediaPicker
        open={open}
        title={pickerTitle}
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
