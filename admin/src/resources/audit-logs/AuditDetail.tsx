// One audit entry in full: who, when, from where, and the old and new values side by side, changed fields
// marked (an update shows the changed ones first, the rest on demand).
import {
  alpha,
  Box,
  Button,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useListContext, useRecordContext, useTranslate } from 'react-admin';
import type { Answer } from '../../api/types.ts';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { Fact, FactList } from '../../components/Facts.tsx';
import { ToneChip } from '../operations/StatusChip.tsx';
import { JsonBlock, JsonValue } from './JsonValue.tsx';

export type AuditEntry = Answer<'listAuditLogs'>['items'][number];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function diffRows(
  entry: AuditEntry,
): { field: string; before: unknown; after: unknown; changed: boolean }[] {
  const before = entry.old_values ?? {};
  const after = entry.new_values ?? {};
  const fields = [
    ...new Set([...(entry.changed_fields ?? []), ...Object.keys(before), ...Object.keys(after)]),
  ];
  return fields.map((field) => ({
    field,
    before: before[field],
    after: after[field],
    changed: !same(before[field], after[field]),
  }));
}

export function AuditDetail() {
  const entry = useRecordContext<AuditEntry>();
  const translate = useTranslate();
  const format = useFormatDateTime();
  const list = useListContext();
  const [all, setAll] = useState(false);
  if (!entry) return null;
  const rows = diffRows(entry);
  const changed = rows.filter((row) => row.changed);
  const shown = all || changed.length === 0 ? rows : changed;
  const hasBefore = entry.old_values !== null;
  const hasAfter = entry.new_values !== null;

  return (
    <Stack spacing={2} sx={{ py: 1 }}>
      <FactList>
        <Fact label={translate('resources.audit-logs.fields.created_at')}>
          <time dateTime={entry.created_at}>
            {format(entry.created_at, { dateStyle: 'full', timeStyle: 'medium' })}
          </time>
        </Fact>
        <Fact label={translate('resources.audit-logs.fields.user_email')}>
          {entry.user_email ?? translate('magnetiq.audit.system')}
        </Fact>
        {entry.record_id && (
          <Fact label={translate('resources.audit-logs.fields.record_id')}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <Box component="code">{entry.record_id}</Box>
              <Button
                size="small"
                onClick={() => {
                  list.setFilters(
                    { table_name: entry.table_name ?? undefined, record_id: entry.record_id },
                    list.displayedFilters,
                  );
                }}
              >
                {translate('magnetiq.audit.record_history')}
              </Button>
            </Stack>
          </Fact>
        )}
        {entry.description && (
          <Fact label={translate('magnetiq.audit.description')}>{entry.description}</Fact>
        )}
        {entry.ip_address && <Fact label={translate('magnetiq.audit.ip')}>{entry.ip_address}</Fact>}
        {entry.user_agent && <Fact label={translate('magnetiq.audit.user_agent')}>{entry.user_agent}</Fact>}
        {entry.request_id && (
          <Fact label={translate('magnetiq.audit.request_id')}>
            <code>{entry.request_id}</code>
          </Fact>
        )}
      </FactList>

      {rows.length > 0 && (
        <Box>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
            <Typography variant="subtitle2" component="h3">
              {translate('magnetiq.audit.changes')}
            </Typography>
            {changed.length > 0 && changed.length < rows.length && (
              <Button
                size="small"
                onClick={() => {
                  setAll(!all);
                }}
              >
                {translate(all ? 'magnetiq.audit.only_changed' : 'magnetiq.audit.all_fields', {
                  smart_count: rows.length,
                })}
              </Button>
            )}
          </Stack>
          <Box sx={{ overflowX: 'auto' }}>
            <Table
              size="small"
              aria-label={translate('magnetiq.audit.changes')}
              sx={{ tableLayout: 'fixed', minWidth: 560 }}
            >
              <TableHead>
                <TableRow>
                  <TableCell sx={{ width: '22%' }}>{translate('magnetiq.audit.field')}</TableCell>
                  {hasBefore && <TableCell>{translate('magnetiq.audit.before')}</TableCell>}
                  {hasAfter && <TableCell>{translate('magnetiq.audit.after')}</TableCell>}
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map((row) => (
                  <TableRow key={row.field}>
                    <TableCell sx={{ verticalAlign: 'top' }}>
                      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                        <Box component="code" sx={{ wordBreak: 'break-all' }}>
                          {row.field}
                        </Box>
                        {row.changed && hasBefore && hasAfter && shown.length > changed.length && (
                          <ToneChip tone="warning" label={translate('magnetiq.audit.changed')} />
                        )}
                      </Stack>
                    </TableCell>
                    {hasBefore && (
                      <TableCell
                        sx={{
                          verticalAlign: 'top',
                          bgcolor: (theme) =>
                            row.changed && hasAfter ? alpha(theme.palette.error.main, 0.07) : undefined,
                        }}
                      >
                        <JsonValue value={row.before} />
                      </TableCell>
                    )}
                    {hasAfter && (
                      <TableCell
                        sx={{
                          verticalAlign: 'top',
                          bgcolor: (theme) =>
                            row.changed && hasBefore ? alpha(theme.palette.success.main, 0.09) : undefined,
                        }}
                      >
                        <JsonValue value={row.after} />
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </Box>
      )}

      {entry.metadata && Object.keys(entry.metadata).length > 0 && (
        <Box>
          <Typography variant="subtitle2" component="h3" sx={{ mb: 1 }}>
            {translate('magnetiq.audit.metadata')}
          </Typography>
          <JsonBlock value={entry.metadata} label={translate('magnetiq.audit.metadata')} />
        </Box>
      )}
    </Stack>
  );
}
