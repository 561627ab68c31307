import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

export type Tone = 'success' | 'info' | 'warning' | 'error' | 'default';

/**
 * A small chip in a tone, readable at WCAG AA: Material's orange and light blue as text on white are not
 * (3:1, 4:1; filled orange takes white text, 3:1 too), so a warning is written in a dark amber on the orange
 * outline, and information in the theme's darker blue.
 */
export function ToneChip({ tone, label }: { tone: Tone; label: string }) {
  if (tone === 'warning') {
    return (
      <Chip
        size="small"
        variant="outlined"
        label={label}
        sx={{ color: '#8a4b00', borderColor: 'warning.main' }}
      />
    );
  }
  return <Chip size="small" variant="outlined" color={tone === 'info' ? 'primary' : tone} label={label} />;
}

const TONES: Record<string, Tone> = {
  success: 'success',
  sent: 'success',
  completed: 'success',
  queued: 'info',
  outbox: 'default',
  error: 'error',
  failed: 'error',
  timeout: 'warning',
  cancelled: 'default',
};

/** A status word (integration call, mail) translated, coloured by how it went. */
export function StatusChip({ status }: { status: string }) {
  const translate = useTranslate();
  return (
    <ToneChip
      tone={TONES[status] ?? 'default'}
      label={translate(`magnetiq.operations.status.${status}`, { _: status })}
    />
  );
}
