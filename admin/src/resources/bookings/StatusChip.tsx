import { Chip, type ChipProps } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';

const COLOURS: Record<string, ChipProps['color']> = {
  confirmed: 'primary',
  completed: 'success',
  no_show: 'error',
  cancelled: 'default',
};

/** A booking's status in words, coloured (filled colours that keep AA contrast with white text). */
export function StatusChip({ status, size = 'small' }: { status: string; size?: ChipProps['size'] }) {
  const translate = useTranslate();
  return (
    <Chip
      size={size}
      color={COLOURS[status] ?? 'default'}
      variant={status === 'cancelled' ? 'outlined' : 'filled'}
      label={translate(`magnetiq.bookings.status.${status}`, { _: status })}
    />
  );
}

/** The status of the record in context (lists). */
export function StatusField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<{ status: string }>();
  return record ? <StatusChip status={record.status} /> : null;
}
