// The consultants: search, language, accepting bookings and the trash (where each can be restored).
import { Avatar, Box, Chip, Stack, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import {
  BooleanInput,
  CreateButton,
  DataTable,
  List,
  SelectInput,
  TextInput,
  TopToolbar,
  Link,
  useCanAccess,
  useCreatePath,
  useListContext,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { Answer } from '../../api/types.ts';
import { DateTimeField } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { ListLoadError } from '../../components/LoadError.tsx';
import { RestoreButton } from '../../components/RestoreButton.tsx';
import { mediaIdFromUrl, THUMBNAIL_WIDTH } from '../../components/MediaPicker.tsx';

export type Consultant = Answer<'getConsultant'>;

export const LANGUAGE_CHOICES = [
  { id: 'en', name: 'magnetiq.language.en' },
  { id: 'de', name: 'magnetiq.language.de' },
];

const filters = [
  <TextInput key="q" source="q" label="magnetiq.consultants.filters.search" alwaysOn resettable />,
  <SelectInput
    key="language"
    source="language"
    label="resources.consultants.fields.languages"
    choices={LANGUAGE_CHOICES}
    emptyText="magnetiq.consultants.filters.any_language"
    alwaysOn
  />,
  <SelectInput
    key="accepting"
    source="accepting"
    label="resources.consultants.fields.is_accepting_bookings"
    choices={[
      { id: 'yes', name: 'ra.boolean.true' },
      { id: 'no', name: 'ra.boolean.false' },
    ]}
    emptyText="magnetiq.consultants.filters.any"
    alwaysOn
    sx={{ minWidth: 230 }}
  />,
  <BooleanInput key="trash" source="trash" label="magnetiq.consultants.filters.trash" alwaysOn />,
];

const Column = DataTable.Col<Consultant>;

export const fullName = (record: Pick<Consultant, 'first_name' | 'last_name'>) =>
  `${record.first_name} ${record.last_name}`;

export function ConsultantList() {
  return (
    <List
      filters={filters}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
      empty={<Empty />}
      error={<ListLoadError />}
      sort={{ field: '', order: 'ASC' }}
    >
      <ConsultantTable />
    </List>
  );
}

function ConsultantTable() {
  const translate = useTranslate();
  const list = useListContext();
  const trash = Boolean((list.filterValues as Record<string, unknown>)['trash']);
  const { canAccess: canEdit } = useCanAccess({ resource: 'consultants', action: 'edit' });
  const createPath = useCreatePath();
  return (
    <DataTable<Consultant>
      bulkActionButtons={false}
      rowClick={(_id, _resource, record) => (record.deleted_at || !canEdit ? false : 'edit')}
      empty={
        <Typography role="status" sx={{ p: 4, textAlign: 'center', color: 'text.secondary' }}>
          {translate(trash ? 'magnetiq.consultants.empty_trash' : 'magnetiq.consultants.empty_filtered')}
        </Typography>
      }
    >
      <Column
        label="resources.consultants.fields.photo_url"
        disableSort
        render={(record) => <ConsultantAvatar record={record} />}
        sx={{ width: 56 }}
      />
      <Column
        label="magnetiq.consultants.name"
        disableSort
        render={(record) => (
          <Box>
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {canEdit && !record.deleted_at ? (
                // The row opens on a click; the link is the way there by keyboard.
                <Link
                  to={createPath({ resource: 'consultants', type: 'edit', id: record.id })}
                  onClick={(event: MouseEvent) => {
                    event.stopPropagation();
                  }}
                >
                  {fullName(record)}
                </Link>
              ) : (
                fullName(record)
              )}
            </Typography>
            {record.title && (
              <Typography variant="caption" color="text.secondary">
                {record.title}
              </Typography>
            )}
          </Box>
        )}
      />
      <Column source="email" label="resources.consultants.fields.email" disableSort />
      <Column
        label="resources.consultants.fields.languages"
        disableSort
        render={(record) => (
          <Stack direction="row" sx={{ gap: 0.5 }}>
            {record.languages.map((language) => (
              <Chip key={language} size="small" label={language.toUpperCase()} />
            ))}
          </Stack>
        )}
      />
      <Column
        label="resources.consultants.fields.is_accepting_bookings"
        disableSort
        render={(record) => (
          <Chip
            size="small"
            variant="outlined"
            color={record.is_accepting_bookings ? 'success' : 'default'}
            label={translate(
              record.is_accepting_bookings
                ? 'magnetiq.consultants.accepting'
                : 'magnetiq.consultants.not_accepting',
            )}
          />
        )}
      />
      <Column source="timezone" label="resources.consultants.fields.timezone" disableSort />
      {trash ? (
        <Column
          label="magnetiq.consultants.deleted_at"
          disableSort
          render={() => <DateTimeField source="deleted_at" />}
        />
      ) : (
        <Column
          label="magnetiq.consultants.updated_at"
          disableSort
          render={() => <DateTimeField source="updated_at" />}
        />
      )}
      {trash && canEdit && (
        <Column label="magnetiq.consultants.actions" disableSort render={() => <RestoreRow />} />
      )}
    </DataTable>
  );
}

/** The photo, small: the library's smallest variant where there is one, else the file, else the initials. */
export function ConsultantAvatar({ record, size = 40 }: { record: Consultant; size?: number }) {
  const id = mediaIdFromUrl(record.photo_url);
  const sources = [
    ...(id ? [`/api/v1/media/${id}/variants/${THUMBNAIL_WIDTH}`] : []),
    ...(record.photo_url ? [record.photo_url] : []),
  ];
  const [attempt, setAttempt] = useState(0);
  const src = sources[attempt];
  const initials = `${record.first_name.charAt(0)}${record.last_name.charAt(0)}`.toUpperCase();
  return (
    <Avatar sx={{ width: size, height: size, fontSize: size / 2.6, bgcolor: 'secondary.main' }} aria-hidden>
      {src ? (
        <img
          src={src}
          alt=""
          loading="lazy"
          onError={() => {
            setAttempt(attempt + 1);
          }}
          style={{ width: '100%', height: '100%', objectFit: 'cover' }}
        />
      ) : (
        initials
      )}
    </Avatar>
  );
}

/** Brings a consultant back from the trash (409 when a live consultant has taken the e-mail meanwhile). */
function RestoreRow() {
  const record = useRecordContext<Consultant>();
  const queryClient = useQueryClient();
  if (!record) return null;
  return (
    <RestoreButton
      path={`/consultants/${record.id}/restore`}
      name={fullName(record)}
      label={{ text: 'magnetiq.consultants.restore', named: 'magnetiq.consultants.restore_named' }}
      restored="magnetiq.consultants.restored"
      onRestored={() => queryClient.invalidateQueries({ queryKey: ['consultants'] })}
    />
  );
}
