// The audit trail: filters (event, table, who, record, time) and each entry's old and new values side by side.
import HistoryIcon from '@mui/icons-material/History';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import { filterInstant } from '../profile/timeZones.ts';
import type { PanelArea } from '../types.ts';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const AuditList = lazyScreen(() => import('./AuditList.tsx'), 'AuditList');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id filter: a UUID, or left out. */
const uuid = (value: unknown) =>
  typeof value === 'string' && UUID.test(value.trim()) ? value.trim() : undefined;

defineResourceApi('audit-logs', {
  path: '/audit-logs',
  filters: (filter) => ({
    table_name: typeof filter['table_name'] === 'string' ? filter['table_name'] : undefined,
    record_id: uuid(filter['record_id']),
    user_id: uuid(filter['user_id']),
    event_type: Array.isArray(filter['event_type']) ? (filter['event_type'] as string[]) : undefined,
    from: filterInstant(filter['from']),
    to: filterInstant(filter['to']),
  }),
});

export const areas: PanelArea[] = [
  { name: 'audit-logs', group: 'system', order: 20, icon: HistoryIcon, list: AuditList },
];
