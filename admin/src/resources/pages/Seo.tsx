// The page's search-engine fields, and how a search result would show it: title, address and description in the
// chosen language, with what the site falls back to where a field is empty (the page title, the excerpt, the
// English).
import ImageIcon from '@mui/icons-material/Image';
import { Box, Button, Paper, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useState } from 'react';
import { TextInput, useLocaleState, useTranslate, type Validator } from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { BilingualInput } from '../../components/Bilingual.tsx';
import { MediaPicker } from '../../components/MediaPicker.tsx';
import { englishWhenGerman } from './BlockEditor.tsx';
import { inLanguage } from './model.ts';

/** Where search engines cut titles and descriptions off (about 60 and 160 characters). */
const TITLE_SHOWN = 60;
const DESCRIPTION_SHOWN = 160;

const cut = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;

const absoluteUrl: Validator = (value: unknown) => {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? undefined
      : 'magnetiq.pages.validation.url';
  } catch {
    return 'magnetiq.pages.validation.url';
  }
};

/** The page's address on the site: /<lang><path>. */
function usePath(): string {
  const slug = useWatch({ name: 'slug' }) as unknown;
  const path = useWatch({ name: 'path' }) as unknown;
  const ownSlug = typeof slug === 'string' && slug !== '' ? slug : '…';
  // The stored path ends in the stored slug; a slug being edited replaces that last step.
  if (typeof path === 'string' && path !== '') return path.replace(/[^/]*$/, ownSlug);
  return `/${ownSlug}`;
}

export function SearchPreview() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [lang, setLang] = useState<'en' | 'de'>(locale === 'de' ? 'de' : 'en');
  const [metaTitle, title, metaDescription, excerpt, canonical] = useWatch({
    name: ['meta_title', 'title', 'meta_description', 'excerpt', 'canonical_url'],
  }) as unknown[];
  const path = usePath();
  const shownTitle = inLanguage(metaTitle, lang).text || inLanguage(title, lang).text;
  const shownDescription = inLanguage(metaDescription, lang).text || inLanguage(excerpt, lang).text;
  const url =
    typeof canonical === 'string' && canonical.trim() !== ''
      ? canonical.trim()
      : `${window.location.origin}/${lang}${path}`;

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1, flexWrap: 'wrap' }}>
        <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
          {translate('magnetiq.pages.seo.preview')}
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={lang}
          onChange={(_event, next: 'en' | 'de' | null) => {
            if (next) setLang(next);
          }}
          aria-label={translate('magnetiq.pages.seo.preview_language')}
        >
          <ToggleButton value="en" lang="en">
            {translate('magnetiq.language.en')}
          </ToggleButton>
          <ToggleButton value="de" lang="de">
            {translate('magnetiq.language.de')}
          </ToggleButton>
        </ToggleButtonGroup>
      </Box>
      <Paper
        variant="outlined"
        sx={{ p: 2, maxWidth: 640 }}
        aria-label={translate('magnetiq.pages.seo.preview')}
        role="figure"
        lang={lang}
      >
        <Typography variant="body2" sx={{ color: '#1e4620', overflowWrap: 'anywhere' }}>
          {url}
        </Typography>
        <Typography sx={{ color: '#1a0dab', fontSize: '1.2rem', lineHeight: 1.3, my: 0.5 }}>
          {cut(shownTitle, TITLE_SHOWN) || translate('magnetiq.pages.seo.no_title')}
        </Typography>
        <Typography variant="body2" sx={{ color: '#4d5156' }}>
          {cut(shownDescription, DESCRIPTION_SHOWN) || translate('magnetiq.pages.seo.no_description')}
        </Typography>
      </Paper>
      <Stack sx={{ mt: 1 }} spacing={0.25}>
        {shownTitle.length > TITLE_SHOWN && (
          <Typography variant="caption" color="warning.dark">
            {translate('magnetiq.pages.seo.title_long', { count: shownTitle.length, max: TITLE_SHOWN })}
          </Typography>
        )}
        {shownDescription.length > DESCRIPTION_SHOWN && (
          <Typography variant="caption" color="warning.dark">
            {translate('magnetiq.pages.seo.description_long', {
              count: shownDescription.length,
              max: DESCRIPTION_SHOWN,
            })}
          </Typography>
        )}
      </Stack>
    </Box>
  );
}

function OgImageInput() {
  const translate = useTranslate();
  const { setValue } = useFormContext();
  const [open, setOpen] = useState(false);
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <TextInput
        source="og_image"
        label="resources.pages.fields.og_image"
        helperText={translate('magnetiq.pages.seo.og_image_help')}
        slotProps={{ htmlInput: { maxLength: 500 } }}
        fullWidth={false}
        sx={{ flexGrow: 1, minWidth: 260 }}
      />
      <Button
        variant="outlined"
        startIcon={<ImageIcon />}
        sx={{ mt: 1 }}
        onClick={() => {
          setOpen(true);
        }}
      >
        {translate('magnetiq.media_picker.choose')}
      </Button>
      <MediaPicker
        open={open}
        title={translate('magnetiq.pages.media.choose_title')}
        onClose={() => {
          setOpen(false);
        }}
        onChoose={(item) => {
          setValue('og_image', item.url, { shouldDirty: true });
          setOpen(false);
        }}
      />
    </Box>
  );
}

export function SeoFields() {
  const translate = useTranslate();
  return (
    <Stack spacing={2} sx={{ width: '100%' }}>
      <BilingualInput
        source="meta_title"
        label={translate('resources.pages.fields.meta_title')}
        maxLength={200}
        validate={[englishWhenGerman('meta_title')]}
      />
      <BilingualInput
        source="meta_description"
        label={translate('resources.pages.fields.meta_description')}
        multiline
        maxLength={500}
        validate={[englishWhenGerman('meta_description')]}
      />
      <BilingualInput
        source="meta_keywords"
        label={translate('resources.pages.fields.meta_keywords')}
        maxLength={500}
        validate={[englishWhenGerman('meta_keywords')]}
      />
      <OgImageInput />
      <TextInput
        source="canonical_url"
        label="resources.pages.fields.canonical_url"
        helperText={translate('magnetiq.pages.seo.canonical_help')}
        validate={[absoluteUrl]}
        slotProps={{ htmlInput: { maxLength: 500 } }}
        fullWidth
      />
      <SearchPreview />
    </Stack>
  );
}
