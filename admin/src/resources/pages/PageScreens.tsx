// The create and edit screens around the page form: titles, the way to the list and the tree.
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { Button, LinearProgress } from '@mui/material';
import type { ReactNode } from 'react';
import {
  Create,
  Edit,
  Link,
  ListButton,
  TopToolbar,
  useCreatePath,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { inLanguage, type PageRecord, type PageSummaryRecord } from './model.ts';
import { PageCreateForm, PageEditForm } from './PageForm.tsx';

function EditTitle() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const record = useRecordContext<PageRecord>();
  return (
    <>
      {translate('magnetiq.pages.edit_title', { title: record ? inLanguage(record.title, locale).text : '' })}
    </>
  );
}

function EditActions() {
  const translate = useTranslate();
  const createPath = useCreatePath();
  return (
    <TopToolbar>
      <Button
        component={Link}
        to={`${createPath({ resource: 'pages', type: 'list' })}/tree`}
        startIcon={<AccountTreeIcon />}
        size="small"
      >
        {translate('magnetiq.pages.tree.open')}
      </Button>
      <ListButton />
    </TopToolbar>
  );
}

/**
 * The list answers summaries (no content, blocks or SEO fields), and react-admin keeps each listed row as the
 * record an edit screen starts from while it fetches the page: the form waits for the whole page, so that it
 * never shows, compares or saves a summary.
 */
function WholePage({ children }: { children: ReactNode }) {
  const translate = useTranslate();
  const record = useRecordContext<PageRecord | PageSummaryRecord>();
  if (!record || !('blocks' in record)) {
    return <LinearProgress aria-label={translate('magnetiq.states.loading')} sx={{ m: 2 }} />;
  }
  return children;
}

export function PageEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      redirect={false}
      title={<EditTitle />}
      actions={<EditActions />}
      // A summary from the list is in react-admin's cache: fetch the page whatever the cache's age.
      queryOptions={{ refetchOnMount: 'always' }}
    >
      <WholePage>
        <PageEditForm />
      </WholePage>
    </Edit>
  );
}

export function PageCreate() {
  const translate = useTranslate();
  return (
    <Create mutationMode="pessimistic" redirect="edit" title={translate('magnetiq.pages.create_title')}>
      <PageCreateForm />
    </Create>
  );
}
