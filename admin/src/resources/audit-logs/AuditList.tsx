import {
  AutocompleteInput,
  Datagrid,
  DateTimeInput,
  FilterButton,
  FunctionField,
  List,
  ReferenceInput,
  SelectArrayInput,
  SelectInput,
  TextInput,
  TopToolbar,
  useCanAccess,
  useLocaleState,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { fullName } from '../users/fields.tsx';
import { listFitWidth } from '../users/layout.ts';
import type { User } from '../../api/types.ts';
import { ToneChip, type Tone } from '../operations/StatusChip.tsx';
import { AuditDetail, type AuditEntry } from './AuditDetail.tsx';

const UUID = /^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$/i;

/** An id filter: empty, or a UUID. */
const uuid = (value: unknown) =>
  value === undefined || value === null || value === '' || (typeof value === 'string' && UUID.test(value))
    ? undefined
    : 'magnetiq.audit.invalid_id';

/** Row changes (written by the database's trigger) and events (written by the modules). */
export const EVENTS = [
  'INSERT',
  'UPDATE',
  'DELETE',
  'SOFT_DELETE',
  'RESTORE',
  'LOGIN',
  'LOGIN_FAILED',
  'LOCKOUT',
  'LOGOUT',
  'TOKEN_REFRESH_REUSE',
  'SESSION_REVOKED',
  'PASSWORD_CHANGED',
  'PASSWORD_RESET_REQUESTED',
  'PASSWORD_RESET',
  'TWO_FACTOR_ENABLED',
  'TWO_FACTOR_DISABLED',
  'RECOVERY_CODE_USED',
];

/** The tables with an audit trigger. */
export const TABLES = [
  'admin_users',
  'user_permissions',
  'pages',
  'media_files',
  'consultants',
  'bookings',
  'system_settings',
  'translations',
  'webinar_topics',
  'webinar_speakers',
  'webinar_sessions',
  'webinar_registrations',
  'whitepapers',
];

const EVENT_COLOURS: Record<string, Tone> = {
  INSERT: 'success',
  UPDATE: 'info',
  DELETE: 'error',
  SOFT_DELETE: 'warning',
  RESTORE: 'success',
  LOGIN_FAILED: 'warning',
  LOCKOUT: 'error',
  TOKEN_REFRESH_REUSE: 'error',
};

export function EventChip({ event }: { event: string }) {
  const translate = useTranslate();
  return (
    <ToneChip
      tone={EVENT_COLOURS[event] ?? 'default'}
      label={translate(`magnetiq.audit.events.${event}`, { _: event })}
    />
  );
}

function useFilters() {
  const { canAccess: seesUsers } = useCanAccess({ resource: 'users', action: 'list' });
  return [
    <SelectArrayInput
      key="event_type"
      source="event_type"
      choices={EVENTS.map((event) => ({ id: event, name: `magnetiq.audit.events.${event}` }))}
      alwaysOn
      sx={{ minWidth: 200 }}
    />,
    <SelectInput
      key="table_name"
      source="table_name"
      choices={TABLES.map((table) => ({ id: table, name: `magnetiq.audit.tables.${table}` }))}
      alwaysOn
    />,
    seesUsers ? (
      <ReferenceInput key="user_id" source="user_id" reference="users" alwaysOn>
        <AutocompleteInput
          label="resources.audit-logs.fields.user_id"
          optionText={(user: User) => `${fullName(user)} <${user.email}>`}
          filterToQuery={(q: string) => ({ q })}
          sx={{ minWidth: 240 }}
        />
      </ReferenceInput>
    ) : (
      <TextInput key="user_id" source="user_id" validate={uuid} />
    ),
    <TextInput key="record_id" source="record_id" validate={uuid} />,
    <DateTimeInput key="from" source="from" />,
    <DateTimeInput key="to" source="to" />,
  ];
}

function Actions() {
  return (
    <TopToolbar>
      <FilterButton />
    </TopToolbar>
  );
}

export function AuditList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <List
      filters={useFilters()}
      empty={<Empty message={translate('magnetiq.audit.none')} actions={false} />}
      actions={<Actions />}
      sx={listFitWidth}
      perPage={50}
      sort={{ field: '', order: 'ASC' }}
      disableSyncWithLocation={false}
    >
      <Datagrid
        bulkActionButtons={false}
        expand={<AuditDetail />}
        expandSingle
        rowClick="expand"
        sx={{ '& .column-created_at': { whiteSpace: 'nowrap' }, '& td': { overflowWrap: 'anywhere' } }}
        empty={<Empty message={translate('magnetiq.audit.none_matching')} actions={false} />}
      >
        <DateTimeField
          source="created_at"
          sortable={false}
          options={{ dateStyle: 'short', timeStyle: 'medium' }}
        />
        <FunctionField<AuditEntry>
          source="event_type"
          sortable={false}
          render={(entry) => <EventChip event={entry.event_type} />}
        />
        <FunctionField<AuditEntry>
          source="table_name"
          sortable={false}
          render={(entry) =>
            entry.table_name
              ? translate(`magnetiq.audit.tables.${entry.table_name}`, { _: entry.table_name })
              : '—'
          }
        />
        <FunctionField<AuditEntry>
          source="user_email"
          sortable={false}
          render={(entry) => entry.user_email ?? translate('magnetiq.audit.system')}
        />
        <FunctionField<AuditEntry>
          label="magnetiq.audit.summary"
          sortable={false}
          render={(entry) => summary(entry, translate, locale)}
        />
      </Datagrid>
    </List>
  );
}

/** Fields whose change says nothing by itself (every update touches them). */
const BOOKKEEPING = new Set(['updated_at', 'updated_by', 'version']);

/** What names a record in its values: a setting's key, a user's e-mail, a page's slug, a grant's permission. */
function recordName(values: Record<string, unknown> | null, locale: string): string | null {
  if (!values) return null;
  for (const field of [
    'key',
    'email',
    'slug',
    'permission',
    'original_filename',
    'reference',
    'name',
    'title',
  ]) {
    const value = values[field];
    if (typeof value === 'string' && value) return value;
    if (field === 'title' && typeof value === 'object' && value !== null) {
      const title = value as Record<string, unknown>;
      const text = title[locale] ?? title['en'];
      if (typeof text === 'string' && text) return text;
    }
  }
  return null;
}

function summary(
  entry: AuditEntry,
  translate: (key: string, options?: object) => string,
  locale: string,
): string {
  if (entry.description) return entry.description;
  const name = recordName(entry.new_values ?? entry.old_values, locale);
  const fields = entry.changed_fields?.filter((field) => !BOOKKEEPING.has(field)) ?? [];
  if (fields.length === 0) return name ?? '';
  const shown = fields.slice(0, 4).join(', ');
  const changed =
    fields.length > 4
      ? translate('magnetiq.audit.fields_more', { fields: shown, smart_count: fields.length - 4 })
      : shown;
  return name ? `${name}: ${changed}` : changed;
}
