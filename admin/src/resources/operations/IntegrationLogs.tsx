// Calls to Odoo, Google Calendar and the mail server: a filtered list, each call with its request and response,
// and a retry of a failed one that is safe to repeat.
import ReplayIcon from '@mui/icons-material/Replay';
import { Alert, Box, Button, Card, CardContent, Link, Stack, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import {
  Datagrid,
  DateTimeInput,
  FilterButton,
  FunctionField,
  List,
  SelectInput,
  Show,
  ShowButton,
  TextField,
  TextInput,
  TopToolbar,
  useCreatePath,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  ListButton,
} from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { DateTimeField, useFormatDateTime } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { JsonBlock } from '../audit-logs/JsonValue.tsx';
import { errorText } from '../../components/ConfirmAction.tsx';
import { Fact, FactList } from '../../components/Facts.tsx';
import { fitWidth, listFitWidth } from '../users/layout.ts';
import { StatusChip } from './StatusChip.tsx';

type LogEntry = Answer<'getIntegrationLog'>;
type Outcome = Answer<'retryIntegrationLog'>;

export const INTEGRATIONS = ['odoo', 'google_calendar', 'smtp'];
const STATUSES = ['success', 'error', 'timeout', 'cancelled'];

const integrationName = (translate: (key: string, options?: object) => string, name: string) =>
  translate(`magnetiq.integrations.names.${name}`, { _: name });

const filters = [
  <SelectInput
    key="integration_name"
    source="integration_name"
    choices={INTEGRATIONS.map((name) => ({ id: name, name: `magnetiq.integrations.names.${name}` }))}
    alwaysOn
  />,
  <SelectInput
    key="status"
    source="status"
    choices={STATUSES.map((status) => ({ id: status, name: `magnetiq.operations.status.${status}` }))}
    alwaysOn
  />,
  <TextInput key="operation" source="operation" />,
  <DateTimeInput key="from" source="from" />,
  <DateTimeInput key="to" source="to" />,
  <TextInput key="correlation_id" source="correlation_id" />,
  <TextInput key="retry_of" source="retry_of" />,
];

function ListActions() {
  return (
    <TopToolbar>
      <FilterButton />
    </TopToolbar>
  );
}

export function IntegrationLogList() {
  const translate = useTranslate();
  return (
    <List
      filters={filters}
      actions={<ListActions />}
      sx={listFitWidth}
      perPage={50}
      sort={{ field: '', order: 'ASC' }}
      empty={<Empty message={translate('magnetiq.integrations.none')} actions={false} />}
    >
      <Datagrid
        bulkActionButtons={false}
        rowClick="show"
        sx={{ '& .column-started_at, & .column-duration_ms': { whiteSpace: 'nowrap' } }}
        empty={<Empty message={translate('magnetiq.integrations.none_matching')} actions={false} />}
      >
        <DateTimeField
          source="started_at"
          sortable={false}
          options={{ dateStyle: 'short', timeStyle: 'medium' }}
        />
        <FunctionField<LogEntry>
          source="integration_name"
          sortable={false}
          render={(entry) => integrationName(translate, entry.integration_name)}
        />
        <TextField source="operation" sortable={false} />
        <FunctionField<LogEntry>
          source="status"
          sortable={false}
          render={(entry) => <StatusChip status={entry.status} />}
        />
        <FunctionField<LogEntry>
          source="duration_ms"
          sortable={false}
          render={(entry) =>
            entry.duration_ms === null
              ? '—'
              : translate('magnetiq.integrations.ms', { ms: entry.duration_ms })
          }
        />
        <FunctionField<LogEntry>
          source="error_message"
          sortable={false}
          render={(entry) => {
            const text = entry.error_message ?? '';
            return text.length > 100 ? `${text.slice(0, 100)}…` : text;
          }}
        />
        <ShowButton />
      </Datagrid>
    </List>
  );
}

/** A link to the list filtered by `filter`. */
function FilteredLink({ filter, children }: { filter: Record<string, string>; children: ReactNode }) {
  const createPath = useCreatePath();
  return (
    <Link
      component={RouterLink}
      to={{
        pathname: createPath({ resource: 'integration-logs', type: 'list' }),
        search: `?filter=${encodeURIComponent(JSON.stringify(filter))}`,
      }}
    >
      {children}
    </Link>
  );
}

function RetryButton({ onOutcome }: { onOutcome: (outcome: Outcome | { error: string }) => void }) {
  const entry = useRecordContext<LogEntry>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  if (!entry?.retryable) return null;
  return (
    <Button
      size="small"
      startIcon={<ReplayIcon />}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        api<Outcome>('POST', `/integration-logs/${entry.id}/retry`)
          .then((outcome) => {
            notify('magnetiq.integrations.retried', { type: 'success' });
            onOutcome(outcome);
            refresh();
          })
          .catch((error: unknown) => {
            // Shown on the screen (an alert above the call), where it stays.
            onOutcome({ error: errorText(error) });
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      {translate('magnetiq.operations.retry')}
    </Button>
  );
}

function LogDetail({ outcome }: { outcome: Outcome | { error: string } | null }) {
  const entry = useRecordContext<LogEntry>();
  const translate = useTranslate();
  const format = useFormatDateTime();
  const createPath = useCreatePath();
  if (!entry) return null;
  return (
    <CardContent>
      <Stack spacing={2}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="h5" component="h1">
            {integrationName(translate, entry.integration_name)}: {entry.operation}
          </Typography>
          <StatusChip status={entry.status} />
        </Stack>
        {outcome &&
          ('error' in outcome ? (
            <Alert severity="error" role="alert">
              {outcome.error}
            </Alert>
          ) : (
            <Alert severity="success">
              {translate('magnetiq.integrations.retry_done', { smart_count: outcome.logs.length })}{' '}
              <FilteredLink filter={{ correlation_id: outcome.correlation_id }}>
                {translate('magnetiq.integrations.show_calls')}
              </FilteredLink>
            </Alert>
          ))}
        {entry.error_message && (
          <Alert severity="error">
            {entry.error_code ? `${entry.error_code}: ` : ''}
            {entry.error_message}
          </Alert>
        )}
        <FactList>
          <Fact label={translate('resources.integration-logs.fields.started_at')}>
            <time dateTime={entry.started_at}>
              {format(entry.started_at, { dateStyle: 'medium', timeStyle: 'medium' })}
            </time>
          </Fact>
          <Fact label={translate('resources.integration-logs.fields.duration_ms')}>
            {entry.duration_ms === null
              ? '—'
              : translate('magnetiq.integrations.ms', { ms: entry.duration_ms })}
          </Fact>
          <Fact label={translate('magnetiq.integrations.direction')}>{entry.direction}</Fact>
          {entry.endpoint && (
            <Fact label={translate('magnetiq.integrations.endpoint')}>{entry.endpoint}</Fact>
          )}
          <Fact label={translate('magnetiq.integrations.attempt')}>{entry.attempt}</Fact>
          {entry.related_table && (
            <Fact label={translate('magnetiq.integrations.related')}>
              {entry.related_table} <code>{entry.related_id}</code>
            </Fact>
          )}
          {entry.correlation_id && (
            <Fact label={translate('magnetiq.integrations.correlation')}>
              <FilteredLink filter={{ correlation_id: entry.correlation_id }}>
                {translate('magnetiq.integrations.all_of_run')}
              </FilteredLink>
            </Fact>
          )}
          {entry.retry_of && (
            <Fact label={translate('magnetiq.integrations.retry_of')}>
              <Link
                component={RouterLink}
                to={createPath({ resource: 'integration-logs', type: 'show', id: entry.retry_of })}
              >
                {translate('magnetiq.integrations.original')}
              </Link>
            </Fact>
          )}
          {entry.status !== 'success' && (
            <Fact label={translate('magnetiq.integrations.retries')}>
              <FilteredLink filter={{ retry_of: entry.id }}>
                {translate('magnetiq.integrations.show_retries')}
              </FilteredLink>
            </Fact>
          )}
        </FactList>
        {entry.status !== 'success' && !entry.retryable && (
          <Typography variant="body2" color="text.secondary">
            {translate('magnetiq.integrations.not_retryable')}
          </Typography>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
              {translate('magnetiq.integrations.request')}
            </Typography>
            <JsonBlock
              value={entry.request_data ?? null}
              label={translate('magnetiq.integrations.request')}
              maxHeight={480}
            />
          </Box>
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
              {translate('magnetiq.integrations.response')}
            </Typography>
            <JsonBlock
              value={entry.response_data ?? null}
              label={translate('magnetiq.integrations.response')}
              maxHeight={480}
            />
          </Box>
        </Box>
      </Stack>
    </CardContent>
  );
}

function LogTitle() {
  const entry = useRecordContext<LogEntry>();
  const translate = useTranslate();
  if (!entry) return null;
  return (
    <>
      {integrationName(translate, entry.integration_name)}: {entry.operation}
    </>
  );
}

export function IntegrationLogShow() {
  const [outcome, setOutcome] = useState<Outcome | { error: string } | null>(null);
  return (
    <Show
      title={<LogTitle />}
      sx={fitWidth}
      actions={
        <TopToolbar>
          <ListButton />
          <RetryButton onOutcome={setOutcome} />
        </TopToolbar>
      }
    >
      <Card elevation={0}>
        <LogDetail outcome={outcome} />
      </Card>
    </Show>
  );
}
