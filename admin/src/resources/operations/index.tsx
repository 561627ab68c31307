// Operations: background jobs (queue counts, failed jobs and their retry), integration logs (each call's
// request and response, retry), and the mail outbox (each mail as HTML and as text).
import OutboxIcon from '@mui/icons-material/Outbox';
import SyncAltIcon from '@mui/icons-material/SyncAlt';
import WorkHistoryIcon from '@mui/icons-material/WorkHistory';
import { defineResourceApi } from '../../providers/dataProvider.ts';
import { filterInstant } from '../profile/timeZones.ts';
import type { PanelArea } from '../types.ts';

export { messages } from './messages.ts';
import { lazyScreen } from '../lazy.tsx';

const IntegrationLogList = lazyScreen(() => import('./IntegrationLogs.tsx'), 'IntegrationLogList');
const IntegrationLogShow = lazyScreen(() => import('./IntegrationLogs.tsx'), 'IntegrationLogShow');
const JobsPage = lazyScreen(() => import('./Jobs.tsx'), 'JobsPage');
const OutboxList = lazyScreen(() => import('./Outbox.tsx'), 'OutboxList');

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

defineResourceApi('jobs', {
  path: '/jobs/failed',
  filters: (filter) => ({ queue: text(filter['queue']) }),
});

defineResourceApi('integration-logs', {
  path: '/integration-logs',
  filters: (filter) => ({
    integration_name: text(filter['integration_name']),
    status: text(filter['status']),
    operation: text(filter['operation']),
    correlation_id: text(filter['correlation_id']),
    retry_of: text(filter['retry_of']),
    from: filterInstant(filter['from']),
    to: filterInstant(filter['to']),
  }),
});

defineResourceApi('outbox', {
  path: '/outbox',
  filters: (filter) => ({ status: text(filter['status']), recipient: text(filter['recipient']) }),
});

export const areas: PanelArea[] = [
  { name: 'jobs', group: 'system', order: 30, icon: WorkHistoryIcon, list: JobsPage },
  {
    name: 'integration-logs',
    group: 'system',
    order: 40,
    icon: SyncAltIcon,
    list: IntegrationLogList,
    show: IntegrationLogShow,
  },
  { name: 'outbox', group: 'system', order: 50, icon: OutboxIcon, list: OutboxList },
];
