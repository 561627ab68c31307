// A JSON value as people read it: text as text, empty as "empty", objects and lists pretty-printed.
import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

export function JsonValue({ value }: { value: unknown }) {
  const translate = useTranslate();
  if (value === null || value === undefined || value === '') {
    return (
      <Typography component="span" variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>
        {translate('magnetiq.audit.empty')}
      </Typography>
    );
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return (
      <Typography component="span" variant="body2" sx={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>
        {String(value)}
      </Typography>
    );
  }
  return <JsonBlock value={value} />;
}

/** Pretty-printed JSON in a scrollable block (request and response bodies, job data, metadata). */
export function JsonBlock({
  value,
  label,
  maxHeight = 320,
}: {
  value: unknown;
  label?: string;
  maxHeight?: number;
}) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <Box
      component="pre"
      tabIndex={0}
      aria-label={label}
      sx={{
        m: 0,
        p: 1,
        maxHeight,
        overflow: 'auto',
        bgcolor: 'grey.100',
        color: 'text.primary',
        borderRadius: 1,
        fontSize: '0.8rem',
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-word',
      }}
    >
      {text}
    </Box>
  );
}
