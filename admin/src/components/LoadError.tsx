// What a screen shows when its data could not be loaded: the API's message (already in the user's language) and a
// way to try again. react-admin only notifies such an error; a list or a panel shows this in its place.
import { Alert, Button, type SxProps, type Theme } from '@mui/material';
import { useListContext, useTranslate } from 'react-admin';

export function LoadError({
  error,
  onRetry,
  sx,
}: {
  error?: unknown;
  onRetry?: () => void;
  /** Added to (and overriding) the alert's own margin, for one that sits inside a card or a dialog. */
  sx?: Exclude<SxProps<Theme>, readonly unknown[]>;
}) {
  const translate = useTranslate();
  const message =
    error instanceof Error && error.message ? error.message : translate('magnetiq.states.error');
  return (
    <Alert
      severity="error"
      sx={sx === undefined ? { m: 2 } : [{ m: 2 }, sx]}
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            {translate('magnetiq.states.retry')}
          </Button>
        ) : undefined
      }
    >
      {message}
    </Alert>
  );
}

/** A list's error state (`<List error={<ListLoadError />}>`): the API's message and a retry. */
export function ListLoadError() {
  const { error, refetch } = useListContext();
  return <LoadError error={error} onRetry={() => void refetch()} />;
}
