// The page as the website will render it, with the editor's unsaved changes, in either language: the site's own
// HTML (POST /pages/{id}/preview) in a frame that runs no script (sandboxed, but of this origin, so the site's
// stylesheet and images load under the panel's CSP). A signed link shows the saved page to someone without
// an account until it expires.
import RefreshIcon from '@mui/icons-material/Refresh';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { api } from '../../api/http.ts';
import type { Answer, Body } from '../../api/types.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { cleanPageField, type EditableField } from './model.ts';

type Lang = 'en' | 'de';
/** What the preview lays over the saved page: the fields the site shows. */
const SHOWN: EditableField[] = [
  'title',
  'excerpt',
  'content',
  'blocks',
  'meta_title',
  'meta_description',
  'og_image',
];

export function PreviewPanel({ pageId }: { pageId: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { getValues } = useFormContext();
  const [lang, setLang] = useState<Lang>(locale === 'de' ? 'de' : 'en');
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [link, setLink] = useState<Answer<'createPagePreviewLink', 201> | null>(null);
  const [linkError, setLinkError] = useState<unknown>(null);
  const current = useRef<AbortController | null>(null);

  const load = useCallback(
    (language: Lang) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      const values = getValues();
      const changes: Record<string, unknown> = {};
      for (const field of SHOWN) {
        const value = cleanPageField(field, values[field]);
        if (value !== undefined) changes[field] = value;
      }
      setLoading(true);
      setError(null);
      const body: Body<'previewPage'> = { lang: language, changes };
      api<string>('POST', `/pages/${encodeURIComponent(pageId)}/preview`, {
        body,
        as: 'text',
        signal: controller.signal,
      }).then(
        (answer) => {
          if (controller.signal.aborted) return;
          setHtml(answer);
          setLoading(false);
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setError(failure);
          setLoading(false);
        },
      );
    },
    [getValues, pageId],
  );

  useEffect(() => {
    load(lang);
    return () => current.current?.abort();
  }, [lang, load]);

  const makeLink = () => {
    setLinkError(null);
    const body: Body<'createPagePreviewLink'> = { lang, minutes: 24 * 60 };
    api<Answer<'createPagePreviewLink', 201>>('POST', `/pages/${encodeURIComponent(pageId)}/preview-link`, {
      body,
    }).then(setLink, setLinkError);
  };

  const languageName = translate(`magnetiq.pages.preview.lang_${lang}`);
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={lang}
          aria-label={translate('magnetiq.pages.preview.language')}
          onChange={(_event, next: Lang | null) => {
            if (next) setLang(next);
          }}
        >
          <ToggleButton value="en" lang="en">
            English
          </ToggleButton>
          <ToggleButton value="de" lang="de">
            Deutsch
          </ToggleButton>
        </ToggleButtonGroup>
        <Button
          startIcon={<RefreshIcon />}
          onClick={() => {
            load(lang);
          }}
          disabled={loading}
        >
          {translate('magnetiq.pages.preview.refresh')}
        </Button>
        <Button variant="outlined" onClick={makeLink}>
          {translate('magnetiq.pages.preview.make_link')}
        </Button>
        {loading && <CircularProgress size={20} aria-label={translate('ra.page.loading')} />}
      </Stack>
      <Alert severity="info">{translate('magnetiq.pages.preview.hint')}</Alert>
      {linkError !== null && <LoadError error={linkError} onRetry={makeLink} />}
      {link && (
        <TextField
          label={translate('magnetiq.pages.preview.link_label', {
            time: new Date(link.expires_at).toLocaleString(locale),
          })}
          value={link.url}
          slotProps={{ htmlInput: { readOnly: true } }}
          onFocus={(event) => {
            event.target.select();
          }}
          fullWidth
        />
      )}
      {error !== null ? (
        <LoadError
          error={error}
          onRetry={() => {
            load(lang);
          }}
        />
      ) : (
        html !== null && (
          <Box
            component="iframe"
            title={translate('magnetiq.pages.preview.frame', { lang: languageName })}
            srcDoc={html}
            sandbox="allow-same-origin"
            sx={{ width: '100%', height: '70vh', border: 1, borderColor: 'divider', borderRadius: 1 }}
          />
        )
      )}
    </Stack>
  );
}
