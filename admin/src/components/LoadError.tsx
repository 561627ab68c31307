// What a screen shows when its data could not be loaded: the API's message (already in the user's language) and a
// way to try again. react-admin only notifies such an error; a list or a panel shows this in its place.
import { Alert, Button } from '@mui/material';
import { useListContext, useTranslate } from 'react-admin';

export function LoadError({ error, onRetry }: { error?: unknown; onRetry?: () => void }) {
  const translate = useTranslate();
  const message =
    error instanceof Error && error.message ? error.message : translate('magnetiq.states.error');
  return (
    <Alert
      severity="error"
      sx={{ m: 2 }}
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
