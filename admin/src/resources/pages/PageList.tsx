// The page list: search, status filter, sort by last change, creation or slug, titles in the user's language;
// and the trash (deleted pages) with restore and, for super admins, delete for good.
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import DeleteForeverIcon from '@mui/icons-material/DeleteForever';
import RestoreFromTrashIcon from '@mui/icons-material/RestoreFromTrash';
import { Box, Button, Tab, Tabs, Typography } from '@mui/material';
import { useState, type MouseEvent } from 'react';
import {
  Confirm,
  CreateButton,
  DataTable,
  Link,
  List,
  SearchInput,
  SelectInput,
  TopToolbar,
  useCreatePath,
  useListContext,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { api } from '../../api/http.ts';
import { DateTimeField } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { inLanguage, STATUSES, type PageSummaryRecord } from './model.ts';
import { canPurge, canWrite, LocalizedText, notifyError, StatusField } from './parts.tsx';

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput
      key="q"
      source="q"
      alwaysOn
      placeholder={translate('magnetiq.pages.list.search')}
      aria-label={translate('magnetiq.pages.list.search')}
    />,
    <SelectInput
      key="status"
      source="status"
      label="resources.pages.fields.status"
      alwaysOn
      emptyText="magnetiq.pages.list.any_status"
      choices={STATUSES.map((status) => ({ id: status, name: `magnetiq.pages.status.${status}` }))}
    />,
  ];
}

function ListActions() {
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
      {canWrite() && <CreateButton />}
    </TopToolbar>
  );
}

/** "Pages" and "Trash": the trash is the list of deleted pages (deleted=only). */
function TrashTabs() {
  const translate = useTranslate();
  const { setFilters } = useListContext();
  const filterValues = useListContext().filterValues as Record<string, unknown>;
  const displayedFilters = useListContext().displayedFilters as Record<string, boolean>;
  const trash = filterValues['deleted'] === 'only';
  return (
    <Tabs
      value={trash ? 'trash' : 'live'}
      onChange={(_event, next: string) => {
        const rest = Object.fromEntries(Object.entries(filterValues).filter(([key]) => key !== 'deleted'));
        setFilters(next === 'trash' ? { ...rest, deleted: 'only' } : rest, displayedFilters);
      }}
      aria-label={translate('magnetiq.pages.list.views')}
      sx={{ px: 2, borderBottom: 1, borderColor: 'divider' }}
    >
      <Tab value="live" label={translate('magnetiq.pages.list.live')} />
      <Tab value="trash" label={translate('magnetiq.pages.trash.title')} />
    </Tabs>
  );
}

function TitleLink() {
  const record = useRecordContext<PageSummaryRecord>();
  const createPath = useCreatePath();
  if (!record) return null;
  return (
    <Link
      to={createPath({ resource: 'pages', type: 'edit', id: record.id })}
      onClick={(event: MouseEvent) => {
        event.stopPropagation();
      }}
    >
      <LocalizedText value={record.title} />
    </Link>
  );
}

function RestoreButton() {
  const translate = useTranslate();
  const record = useRecordContext<PageSummaryRecord>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  if (!record || !canWrite(record.id)) return null;
  return (
    <Button
      size="small"
      startIcon={<RestoreFromTrashIcon />}
      disabled={busy}
      onClick={(event) => {
        event.stopPropagation();
        setBusy(true);
        api('POST', `/pages/${encodeURIComponent(record.id)}/restore`)
          .then(() => {
            notify('magnetiq.pages.trash.restored', { type: 'success' });
            refresh();
          })
          .catch((error: unknown) => {
            notifyError(notify, error);
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      {translate('magnetiq.pages.trash.restore')}
    </Button>
  );
}

function PurgeButton() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const record = useRecordContext<PageSummaryRecord>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!record || !canPurge()) return null;
  const title = inLanguage(record.title, locale).text;
  return (
    <>
      <Button
        size="small"
        color="error"
        startIcon={<DeleteForeverIcon />}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
      >
        {translate('magnetiq.pages.trash.purge')}
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title="magnetiq.pages.trash.purge_title"
        content="magnetiq.pages.trash.purge_confirm"
        titleTranslateOptions={{ title }}
        confirm="magnetiq.pages.trash.purge"
        confirmColor="warning"
        onConfirm={() => {
          setBusy(true);
          api('DELETE', `/pages/${encodeURIComponent(record.id)}/purge`)
            .then(() => {
              notify('magnetiq.pages.trash.purged', { type: 'success' });
              setOpen(false);
              refresh();
            })
            .catch((error: unknown) => {
              notifyError(notify, error);
            })
            .finally(() => {
              setBusy(false);
            });
        }}
        onClose={() => {
          setOpen(false);
        }}
      />
    </>
  );
}

function NoResults() {
  const translate = useTranslate();
  const filterValues = useListContext().filterValues as Record<string, unknown>;
  const trash = filterValues['deleted'] === 'only';
  const filtered = Object.keys(filterValues).some((key) => key !== 'deleted');
  return (
    <Typography role="status" sx={{ p: 4, textAlign: 'center', color: 'text.secondary' }}>
      {translate(
        filtered
          ? 'magnetiq.pages.list.no_match'
          : trash
            ? 'magnetiq.pages.trash.empty'
            : 'magnetiq.pages.list.empty',
      )}
    </Typography>
  );
}

function PageTable() {
  const translate = useTranslate();
  const filterValues = useListContext().filterValues as Record<string, unknown>;
  const trash = filterValues['deleted'] === 'only';
  return (
    <DataTable
      rowClick="edit"
      empty={<NoResults />}
      // No row selection: react-admin's row checkboxes carry their label on MUI 9's wrapper, not the input
      // (axe: unlabelled form elements). A page goes to the trash from its editor.
      bulkActionButtons={false}
    >
      <DataTable.Col label={translate('resources.pages.fields.title')} disableSort>
        <TitleLink />
      </DataTable.Col>
      <DataTable.Col
        source="slug"
        label={translate('resources.pages.fields.path')}
        render={(record: PageSummaryRecord) => (
          <Typography
            component="span"
            variant="body2"
            sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
          >
            {record.path}
          </Typography>
        )}
      />
      <DataTable.Col label={translate('resources.pages.fields.status')} disableSort>
        {/* In the trash every page is deleted: no chip that says so. */}
        <StatusField showDeleted={!trash} />
      </DataTable.Col>
      {!trash && (
        <DataTable.Col source="updated_at" label={translate('resources.pages.fields.updated_at')}>
          <DateTimeField source="updated_at" />
        </DataTable.Col>
      )}
      {!trash && (
        <DataTable.Col source="created_at" label={translate('resources.pages.fields.created_at')}>
          <DateTimeField source="created_at" />
        </DataTable.Col>
      )}
      {trash && (
        <DataTable.Col source="deleted_at" label={translate('resources.pages.fields.deleted_at')} disableSort>
          <DateTimeField source="deleted_at" />
        </DataTable.Col>
      )}
      {trash && (
        <DataTable.Col label={translate('magnetiq.pages.list.actions')} disableSort>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <RestoreButton />
            <PurgeButton />
          </Box>
        </DataTable.Col>
      )}
    </DataTable>
  );
}

/** No live page at all: the way to make the first one, and to the trash (it may still hold some). */
function PagesEmpty() {
  const translate = useTranslate();
  const { setFilters } = useListContext();
  return (
    <Empty
      message={translate('magnetiq.pages.list.empty')}
      actions={
        <Box sx={{ display: 'flex', gap: 1, justifyContent: 'center' }}>
          {canWrite() && <CreateButton variant="contained" />}
          <Button
            onClick={() => {
              setFilters({ deleted: 'only' }, {});
            }}
          >
            {translate('magnetiq.pages.trash.open')}
          </Button>
        </Box>
      }
    />
  );
}

export function PageList() {
  const filters = useFilters();
  return (
    <List
      sort={{ field: 'updated_at', order: 'DESC' }}
      filters={filters}
      actions={<ListActions />}
      empty={<PagesEmpty />}
      perPage={25}
    >
      <TrashTabs />
      <PageTable />
    </List>
  );
}
