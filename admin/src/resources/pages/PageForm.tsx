// The page editor, for a new page and an existing one: content (slug, parent, title, excerpt, text), blocks and
// SEO in tabs, English and German side by side; for an existing page also its workflow and its history. A save
// the server refuses as stale opens the conflict dialog instead of losing or overwriting anything.
import ErrorIcon from '@mui/icons-material/ErrorOutlined';
import { Box, Button, Stack, Tab, Tabs } from '@mui/material';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  DeleteButton,
  Form,
  required,
  SaveButton,
  TextInput,
  Toolbar,
  useEditContext,
  useLocaleState,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { useFormContext, useFormState, useWatch } from 'react-hook-form';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { BilingualInput } from '../../components/Bilingual.tsx';
import { isStaleVersion } from '../../components/StaleVersion.tsx';
import { BlocksEditor, englishWhenGerman, valueAt } from './BlockEditor.tsx';
import { ConflictDialog, type Conflict } from './ConflictDialog.tsx';
import { HistoryPanel } from './History.tsx';
import { inLanguage, type PageRecord } from './model.ts';
import { ParentInput } from './ParentInput.tsx';
import { PreviewPanel } from './Preview.tsx';
import { canWrite, notifyError } from './parts.tsx';
import { SeoFields } from './Seo.tsx';
import { StatusActions } from './StatusActions.tsx';

type TabName = 'content' | 'blocks' | 'seo' | 'preview' | 'history';
/** The form fields each tab holds (to mark a tab whose fields have errors, and to show it on a failed save). */
const TAB_FIELDS: Record<Exclude<TabName, 'history' | 'preview'>, string[]> = {
  content: ['slug', 'parent_id', 'title', 'excerpt', 'content', 'sort_order'],
  blocks: ['blocks'],
  seo: ['meta_title', 'meta_description', 'meta_keywords', 'og_image', 'canonical_url'],
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const slugValidator = (value: unknown) =>
  typeof value === 'string' && value !== '' && !SLUG.test(value)
    ? 'magnetiq.pages.validation.slug'
    : undefined;

/** A slug from a title: lowercase ASCII letters and digits, dashes between words (ä → ae, ß → ss). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200)
    .replace(/-+$/, '');
}

function useDirty(): boolean {
  const { dirtyFields } = useFormState();
  return Object.keys(dirtyFields).length > 0;
}

/**
 * Leaving the form with unsaved changes asks first: closing or reloading the tab (the browser's own question),
 * and following a link of the panel (the menu, the list, the tree). The router is not a data router, so
 * react-admin's own guard is not available.
 */
function LeaveGuard() {
  const dirty = useDirty();
  const translate = useTranslate();
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    const click = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
        return;
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(link instanceof HTMLAnchorElement) || link.target === '_blank') return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
      if (!window.confirm(translate('ra.message.unsaved_changes'))) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', warn);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('click', click, true);
    };
  }, [dirty, translate]);
  return null;
}

function SlugInput() {
  const translate = useTranslate();
  const { setValue } = useFormContext();
  const title = useWatch({ name: 'title.en' }) as unknown;
  const suggestion = typeof title === 'string' ? slugify(title) : '';
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
      <TextInput
        source="slug"
        label="resources.pages.fields.slug"
        isRequired
        validate={[required(), slugValidator]}
        helperText={translate('magnetiq.pages.slug_help')}
        slotProps={{ htmlInput: { maxLength: 200 } }}
        fullWidth={false}
        sx={{ flex: '1 1 auto', minWidth: 0 }}
      />
      <Button
        sx={{ mt: 1, flexShrink: 0 }}
        disabled={suggestion === ''}
        onClick={() => {
          setValue('slug', suggestion, { shouldDirty: true, shouldValidate: true });
        }}
      >
        {translate('magnetiq.pages.slug_from_title')}
      </Button>
    </Box>
  );
}

function TabLabel({ label, fields }: { label: string; fields: string[] | undefined }) {
  const translate = useTranslate();
  const { errors } = useFormState();
  const failing = fields?.some((field) => field in errors) ?? false;
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
      {label}
      {failing && (
        <ErrorIcon fontSize="small" color="error" titleAccess={translate('magnetiq.pages.tab_has_errors')} />
      )}
    </Box>
  );
}

/** Shows the first tab with an error after a save that did not go through. */
function ShowErrors({ onTab }: { onTab: (tab: TabName) => void }) {
  const { errors, submitCount } = useFormState();
  const seen = useRef(0);
  useEffect(() => {
    if (submitCount === seen.current) return;
    const keys = Object.keys(errors);
    if (keys.length === 0) return;
    seen.current = submitCount;
    const tab = (Object.keys(TAB_FIELDS) as (keyof typeof TAB_FIELDS)[]).find((name) =>
      TAB_FIELDS[name].some((field) => keys.includes(field)),
    );
    if (tab) onTab(tab);
  }, [errors, submitCount, onTab]);
  return null;
}

function TabPanel({ name, tab, children }: { name: TabName; tab: TabName; children: ReactNode }) {
  return (
    <Box
      role="tabpanel"
      id={`page-tabpanel-${name}`}
      aria-labelledby={`page-tab-${name}`}
      hidden={name !== tab}
      sx={{ pt: 2 }}
    >
      {children}
    </Box>
  );
}

function FormBody({ mode, toolbar }: { mode: 'create' | 'edit'; toolbar: ReactNode }) {
  const translate = useTranslate();
  const record = useRecordContext<PageRecord>();
  const dirty = useDirty();
  const [tab, setTab] = useState<TabName>('content');
  const tabs: TabName[] =
    mode === 'edit' ? ['content', 'blocks', 'seo', 'preview', 'history'] : ['content', 'blocks', 'seo'];
  return (
    <>
      <Box sx={{ px: 2, pt: 2 }}>
        {mode === 'edit' && record && <StatusActions record={record} dirty={dirty} />}
        <Tabs
          value={tab}
          onChange={(_event, next: TabName) => {
            setTab(next);
          }}
          variant="scrollable"
          allowScrollButtonsMobile
          aria-label={translate('magnetiq.pages.tabs.label')}
          sx={{ borderBottom: 1, borderColor: 'divider' }}
        >
          {tabs.map((name) => (
            <Tab
              key={name}
              value={name}
              id={`page-tab-${name}`}
              aria-controls={`page-tabpanel-${name}`}
              label={
                <TabLabel
                  label={translate(`magnetiq.pages.tabs.${name}`)}
                  fields={name === 'history' || name === 'preview' ? undefined : TAB_FIELDS[name]}
                />
              }
            />
          ))}
        </Tabs>
        <TabPanel name="content" tab={tab}>
          <Stack spacing={1}>
            <SlugInput />
            <ParentInput pageId={record?.id} />
            <Box sx={{ pt: 1 }}>
              <BilingualInput
                source="title"
                label={translate('resources.pages.fields.title')}
                required
                maxLength={200}
                validate={[required()]}
              />
            </Box>
            <BilingualInput
              source="excerpt"
              label={translate('resources.pages.fields.excerpt')}
              multiline
              maxLength={1000}
              validate={[englishWhenGerman('excerpt')]}
            />
            <BilingualInput
              source="content"
              label={translate('resources.pages.fields.content')}
              multiline
              maxLength={200_000}
              validate={[englishWhenGerman('content')]}
            />
          </Stack>
        </TabPanel>
        <TabPanel name="blocks" tab={tab}>
          <BlocksEditor />
        </TabPanel>
        <TabPanel name="seo" tab={tab}>
          <SeoFields />
        </TabPanel>
        {mode === 'edit' && record && (
          <TabPanel name="preview" tab={tab}>
            {tab === 'preview' && <PreviewPanel pageId={record.id} />}
          </TabPanel>
        )}
        {mode === 'edit' && record && (
          <TabPanel name="history" tab={tab}>
            {tab === 'history' && <HistoryPanel page={record} dirty={dirty} />}
          </TabPanel>
        )}
      </Box>
      <ShowErrors onTab={setTab} />
      <LeaveGuard />
      {toolbar}
    </>
  );
}

export function PageCreateForm() {
  return (
    <Form defaultValues={{ title: { en: '', de: '' }, blocks: [], parent_id: null }}>
      <FormBody
        mode="create"
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      />
    </Form>
  );
}

/**
 * After "reload and re-apply": once the form holds the server's newer version, the user's changed fields are
 * put back on top of it (marked changed, not saved).
 */
function Reapply({
  pending,
  onDone,
}: {
  pending: { from: number; values: Record<string, unknown> } | null;
  onDone: () => void;
}) {
  const version = useWatch({ name: 'version' }) as unknown;
  const { setValue } = useFormContext();
  useEffect(() => {
    if (!pending || version === pending.from) return;
    for (const [field, value] of Object.entries(pending.values)) {
      setValue(field, value, { shouldDirty: true, shouldTouch: true });
    }
    onDone();
  }, [pending, version, setValue, onDone]);
  return null;
}

export function PageEditForm() {
  const [locale] = useLocaleState();
  const notify = useNotify();
  const { save, record, refetch } = useEditContext<PageRecord>();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [pending, setPending] = useState<{ from: number; values: Record<string, unknown> } | null>(null);
  const writable = canWrite(record?.id);

  const onSubmit = async (values: Record<string, unknown>) => {
    if (!save || !record) return;
    const loaded = record;
    const outcome = { stale: false };
    const errors = await save(values, {
      onError: (error: unknown) => {
        if (isStaleVersion(error)) {
          outcome.stale = true;
          // What the server has now, to show beside what this form was loaded with.
          void api<Answer<'getPage'>>('GET', `/pages/${encodeURIComponent(loaded.id)}`).then(
            (server) => {
              setConflict({ loaded, server, mine: values });
            },
            (failure: unknown) => {
              notifyError(notify, failure);
            },
          );
          return;
        }
        notifyError(notify, error);
      },
    });
    // The stale version is not an error of any field: the dialog handles it.
    return outcome.stale ? undefined : errors;
  };

  return (
    <Form onSubmit={onSubmit as never}>
      <FormBody
        mode="edit"
        toolbar={
          <Toolbar sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
            <SaveButton disabled={!writable} />
            {record && record.deleted_at === null && writable && (
              <DeleteButton
                mutationMode="pessimistic"
                // Material's error red misses 4.5:1 on the toolbar's grey.
                sx={{ color: '#b71c1c' }}
                label="magnetiq.pages.trash.move"
                confirmTitle="magnetiq.pages.trash.confirm_title"
                confirmContent="magnetiq.pages.trash.confirm"
                translateOptions={{ title: inLanguage(record.title, locale).text }}
              />
            )}
          </Toolbar>
        }
      />
      <ConflictDialog
        conflict={conflict}
        onClose={() => {
          setConflict(null);
        }}
        onReapply={(paths) => {
          if (!conflict) return;
          setPending({
            from: conflict.loaded.version,
            values: Object.fromEntries(paths.map((path) => [path, valueAt(conflict.mine, path) ?? ''])),
          });
          setConflict(null);
          void refetch();
        }}
      />
      <Reapply
        pending={pending}
        onDone={() => {
          setPending(null);
          notify('magnetiq.pages.conflict.reapplied', { type: 'info' });
        }}
      />
    </Form>
  );
}
