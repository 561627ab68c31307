// A consultant's photo: an image of the media library, chosen in the media picker (stored as its file URL,
// /api/v1/media/<id>/file, which the API checks is a live image), or removed. An https URL set through the API is
// shown as it is.
import AddPhotoAlternateIcon from '@mui/icons-material/AddPhotoAlternate';
import PersonIcon from '@mui/icons-material/Person';
import { Alert, Box, Button, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useCanAccess, useInput, useTranslate } from 'react-admin';
import { api, ApiError } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { MediaPicker, MediaThumbnail, mediaIdFromUrl } from '../../components/MediaPicker.tsx';
import { keep } from './hours.ts';

export const mediaFileUrl = (id: string) => `/api/v1/media/${id}/file`;

export function PhotoInput({ source }: { source: string }) {
  const translate = useTranslate();
  const legendId = useId();
  const { field } = useInput({ source, format: keep });
  const url = typeof field.value === 'string' && field.value !== '' ? field.value : null;
  const mediaId = mediaIdFromUrl(url);
  const { canAccess: canBrowse } = useCanAccess({ resource: 'media', action: 'list' });
  const [open, setOpen] = useState(false);
  const media = useQuery({
    queryKey: ['media', 'photo', mediaId],
    queryFn: ({ signal }) => api<Answer<'getMedia'>>('GET', `/media/${mediaId ?? ''}`, { signal }),
    enabled: Boolean(mediaId) && canBrowse === true,
    retry: false,
  });
  const missing =
    (media.error instanceof ApiError && media.error.status === 404) || Boolean(media.data?.deleted_at);

  let preview;
  if (media.data && !media.data.deleted_at) {
    preview = <MediaThumbnail item={media.data} height={120} />;
  } else if (url && !mediaId) {
    preview = (
      <Box sx={{ height: 120, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <img src={url} alt="" style={{ maxWidth: '100%', maxHeight: 120 }} />
      </Box>
    );
  } else {
    preview = (
      <Box
        sx={{
          height: 120,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          bgcolor: 'action.hover',
          color: 'text.secondary',
        }}
      >
        <PersonIcon sx={{ fontSize: 56 }} aria-hidden />
      </Box>
    );
  }

  return (
    <Box component="fieldset" aria-labelledby={legendId} sx={{ border: 0, p: 0, m: 0, mb: 2, width: '100%' }}>
      <Typography id={legendId} component="legend" variant="subtitle1" sx={{ fontWeight: 500, mb: 1 }}>
        {translate('resources.consultants.fields.photo_url')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <Box
          sx={{ width: 120, borderRadius: 1, overflow: 'hidden', flexShrink: 0 }}
          data-testid="consultant-photo"
        >
          {preview}
        </Box>
        <Box sx={{ minWidth: 0, flex: '1 1 200px' }}>
          <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }} data-testid="consultant-photo-name">
            {media.data && !media.data.deleted_at
              ? media.data.original_filename
              : url && !mediaId
                ? url
                : url
                  ? ''
                  : translate('magnetiq.consultants.photo.none')}
          </Typography>
          {missing && (
            <Alert severity="warning" sx={{ mt: 1 }}>
              {translate('magnetiq.consultants.photo.missing')}
            </Alert>
          )}
          <Box sx={{ display: 'flex', gap: 1, mt: 1, flexWrap: 'wrap' }}>
            <Button
              variant="outlined"
              size="small"
              startIcon={<AddPhotoAlternateIcon />}
              onClick={() => {
                setOpen(true);
              }}
              disabled={canBrowse === false}
            >
              {translate(url ? 'magnetiq.consultants.photo.change' : 'magnetiq.consultants.photo.choose')}
            </Button>
            {url && (
              <Button
                size="small"
                color="inherit"
                onClick={() => {
                  field.onChange(null);
                }}
              >
                {translate('magnetiq.consultants.photo.remove')}
              </Button>
            )}
          </Box>
          {canBrowse === false && (
            <Typography variant="caption" color="text.secondary">
              {translate('magnetiq.consultants.photo.no_media_access')}
            </Typography>
          )}
        </Box>
      </Box>
      <MediaPicker
        open={open}
        onClose={() => {
          setOpen(false);
        }}
        title={translate('magnetiq.consultants.photo.picker_title')}
        onChoose={(item) => {
          field.onChange(mediaFileUrl(item.id));
          setOpen(false);
        }}
      />
    </Box>
  );
}
