// The create and edit screens around the page form: titles, the way to the list and the tree.
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { Button } from '@mui/material';
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
import { inLanguage, type PageRecord } from './model.ts';
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

export function PageEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect={false} title={<EditTitle />} actions={<EditActions />}>
      <PageEditForm />
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
