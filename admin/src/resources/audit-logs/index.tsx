// The audit trail: filters (event, table, who, record, time) and each entry's old and new values side by side.
import HistoryIcon from '@mui/icons-material/History';
import { userTimeZone } from '../../components/DateTime.tsx';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import { zonedToIso } from '../profile/timeZones.ts';
import type { PanelArea } from '../types.ts';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const AuditList = lazyScreen(() => import('./AuditList.tsx'), 'AuditList');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A date-time input's value ("2025-03-30T14:00", in the user's time zone) as an instant. */
const instant = (value: unknown) =>
  typeof value === 'string' && value ? (zonedToIso(value, userTimeZone()) ?? undefined) : undefined;
const uuid = (value: unknown) =>
  typeof value === 'string' && UUID.test(value.trim()) ? value.trim() : undefined;

defineResourceApi('audit-logs', {
  path: '/audit-logs',
  filters: (filter) => ({
    table_name: typeof filter['table_name'] === 'string' ? filter['table_name'] : undefined,
    record_id: uuid(filter['record_id']),
    user_id: uuid(filter['user_id']),
    event_type: Array.isArray(filter['event_type']) ? (filter['event_type'] as string[]) : undefined,
    from: instant(filter['from']),
    to: instant(filter['to']),
  }),
});

export const areas: PanelArea[] = [
  { name: 'audit-logs', group: 'system', order: 20, icon: HistoryIcon, list: AuditList },
];
