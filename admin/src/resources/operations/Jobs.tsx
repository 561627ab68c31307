// Background jobs: every queue with its counts per state, and the jobs that failed for good (error, data),
// each with a retry.
import ReplayIcon from '@mui/icons-material/Replay';
import {
  Box,
  Card,
  CardContent,
  CardHeader,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import {
  Datagrid,
  FunctionField,
  List,
  NumberField,
  SelectInput,
  TextField,
  useRecordContext,
  useTranslate,
  type SelectInputProps,
} from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { DateTimeField } from '../../components/DateTime.tsx';
import { Empty } from '../../components/Empty.tsx';
import { JsonBlock } from '../audit-logs/JsonValue.tsx';
import { ConfirmAction } from '../../components/ConfirmAction.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { fitWidth, listFitWidth } from '../users/layout.ts';

type FailedJob = Answer<'listFailedJobs'>['items'][number];
const COUNTS = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;
const QUEUES_KEY = ['magnetiq', 'job-queues'];

function useQueues() {
  return useQuery({
    queryKey: QUEUES_KEY,
    queryFn: ({ signal }) => api<Answer<'listJobQueues'>>('GET', '/jobs/queues', { signal }),
  });
}

function QueueCounts() {
  const translate = useTranslate();
  const queues = useQueues();
  return (
    <Card component="section" aria-labelledby="queues-title" sx={{ mt: 2 }}>
      <CardHeader
        title={translate('magnetiq.jobs.queues')}
        subheader={translate('magnetiq.jobs.queues_help')}
        slotProps={{ title: { id: 'queues-title', component: 'h2', variant: 'h6' } }}
      />
      <CardContent sx={{ pt: 0 }}>
        {queues.isPending ? (
          <LinearProgress aria-label={translate('magnetiq.states.loading')} />
        ) : queues.isError ? (
          <LoadError error={queues.error} onRetry={() => void queues.refetch()} sx={{ m: 0 }} />
        ) : queues.data.items.length === 0 ? (
          <Typography role="status" color="text.secondary">
            {translate('magnetiq.jobs.no_queues')}
          </Typography>
        ) : (
          <Box sx={{ overflowX: 'auto' }}>
            <Table
              size="small"
              aria-labelledby="queues-title"
              sx={{ '& th, & td': { px: 1 }, '& code': { overflowWrap: 'anywhere' } }}
            >
              <TableHead>
                <TableRow>
                  <TableCell>{translate('magnetiq.jobs.queue')}</TableCell>
                  {COUNTS.map((state) => (
                    <TableCell key={state} align="right">
                      {translate(`magnetiq.jobs.states.${state}`)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {queues.data.items.map((queue) => (
                  <TableRow key={queue.name}>
                    <TableCell>
                      <Box component="code">{queue.name}</Box>
                      <Typography variant="caption" component="p" color="text.secondary">
                        {queue.retry_limit === 0
                          ? translate('magnetiq.jobs.no_retry')
                          : translate('magnetiq.jobs.retry_policy', {
                              smart_count: queue.retry_limit,
                              delay: queue.retry_delay,
                            })}
                      </Typography>
                    </TableCell>
                    {COUNTS.map((state) => (
                      <TableCell
                        key={state}
                        align="right"
                        sx={{
                          fontWeight: state === 'failed' && queue.counts.failed > 0 ? 700 : undefined,
                          color: state === 'failed' && queue.counts.failed > 0 ? 'error.main' : undefined,
                        }}
                      >
                        {queue.counts[state].toLocaleString()}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function QueueInput(props: Omit<SelectInputProps, 'choices'>) {
  const queues = useQueues();
  return (
    <SelectInput
      {...props}
      isPending={queues.isPending}
      choices={(queues.data?.items ?? []).map((queue) => ({ id: queue.name, name: queue.name }))}
      translateChoice={false}
    />
  );
}

function RetryJob() {
  const job = useRecordContext<FailedJob>();
  if (!job) return null;
  return (
    <ConfirmAction
      label="magnetiq.operations.retry"
      method="POST"
      path={`/jobs/${encodeURIComponent(job.queue)}/${job.id}/retry`}
      success="magnetiq.jobs.retried"
      icon={<ReplayIcon />}
    />
  );
}

function FailedDetail() {
  const job = useRecordContext<FailedJob>();
  const translate = useTranslate();
  if (!job) return null;
  return (
    <Stack spacing={1} sx={{ py: 1 }}>
      <Typography variant="subtitle2" component="h3">
        {translate('magnetiq.jobs.error')}
      </Typography>
      <JsonBlock value={job.error ?? '—'} label={translate('magnetiq.jobs.error')} />
      <Typography variant="subtitle2" component="h3">
        {translate('magnetiq.jobs.data')}
      </Typography>
      <JsonBlock value={job.data} label={translate('magnetiq.jobs.data')} />
      <Typography variant="caption" color="text.secondary">
        {translate('magnetiq.jobs.id')}: <code>{job.id}</code>
      </Typography>
    </Stack>
  );
}

const filters = [<QueueInput key="queue" source="queue" alwaysOn />];

export function JobsPage() {
  const translate = useTranslate();
  return (
    <Box sx={fitWidth}>
      <QueueCounts />
      <List
        resource="jobs"
        filters={filters}
        actions={false}
        perPage={25}
        sort={{ field: '', order: 'ASC' }}
        empty={<Empty message={translate('magnetiq.jobs.no_failed')} actions={false} />}
        sx={{ ...listFitWidth, '& .RaList-main': { mt: 2 } }}
      >
        <Typography variant="h6" component="h2" sx={{ px: 2, pt: 2 }}>
          {translate('magnetiq.jobs.failed_title')}
        </Typography>
        <Datagrid
          bulkActionButtons={false}
          expand={<FailedDetail />}
          rowClick="expand"
          sx={{ '& .column-completed_on, & .column-created_on': { whiteSpace: 'nowrap' } }}
          empty={<Empty message={translate('magnetiq.jobs.no_failed')} actions={false} />}
        >
          <DateTimeField source="completed_on" sortable={false} />
          <TextField source="queue" sortable={false} />
          <FunctionField<FailedJob>
            source="error"
            sortable={false}
            render={(job) => {
              const text = job.error ?? '—';
              return text.length > 120 ? `${text.slice(0, 120)}…` : text;
            }}
          />
          <NumberField source="retry_count" sortable={false} />
          <DateTimeField source="created_on" sortable={false} />
          <RetryJob />
        </Datagrid>
      </List>
    </Box>
  );
}
