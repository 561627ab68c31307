import {
  AutocompleteInput,
  Datagrid,
  DateTimeInput,
  FunctionField,
  List,
  ReferenceInput,
  SelectArrayInput,
  SelectInput,
  TextInput,
  useCanAccess,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { fullName } from '../users/fields.tsx';
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

export function AuditList() {
  const translate = useTranslate();
  return (
    <List
      filters={useFilters()}
      empty={<Empty message={translate('magnetiq.audit.none')} actions={null} />}
      actions={false}
      perPage={50}
      sort={{ field: '', order: 'ASC' }}
      disableSyncWithLocation={false}
    >
      <Datagrid
        bulkActionButtons={false}
        expand={<AuditDetail />}
        expandSingle
        rowClick="expand"
        empty={<Empty message={translate('magnetiq.audit.none_matching')} actions={null} />}
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
          render={(entry) => summary(entry, translate)}
        />
      </Datagrid>
    </List>
  );
}

function summary(entry: AuditEntry, translate: (key: string, options?: object) => string): string {
  if (entry.description) return entry.description;
  const fields = entry.changed_fields?.filter((field) => !['updated_at', 'version'].includes(field)) ?? [];
  if (fields.length > 0) {
    const shown = fields.slice(0, 4).join(', ');
    return fields.length > 4
      ? translate('magnetiq.audit.fields_more', { fields: shown, smart_count: fields.length - 4 })
      : shown;
  }
  const values = entry.new_values ?? entry.old_values;
  const permission = values?.['permission'];
  if (typeof permission === 'string') return permission;
  return '';
}
