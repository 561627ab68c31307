// A save against a stale version (409 conflict.stale_version: someone saved the record since it was loaded) must
// neither overwrite their change nor lose the user's edit. Every editor recognises it with isStaleVersion.
//
// The notice here serves forms of independent fields (media, consultants): the editor's form keeps its dirty
// values when the record is loaded again (`resetOptions={{ keepDirtyValues: true }}`), so "load the current
// version" puts the user's changes on top of the newer record, and the next save sends them with the new version.
//
//   const conflict = useStaleVersion();
//   <Edit mutationOptions={conflict.mutationOptions} …>
//     <SimpleForm resetOptions={{ keepDirtyValues: true }}>
//       <StaleVersionAlert conflict={conflict} />
//
// The page editor has its own dialog (resources/pages/ConflictDialog.tsx): a page is long bilingual texts and a
// list of blocks that someone else may have reordered, so it shows both sides field by field, puts the user's
// changes back whole (a text per language, the blocks as one) and offers them to copy.
import { Alert, Button } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useEditContext, useNotify, useTranslate } from 'react-admin';
import { ApiError } from '../api/http.ts';

export interface StaleVersion {
  stale: boolean;
  clear: () => void;
  mutationOptions: { onError: (error: unknown) => void };
}

interface ErrorBody {
  code?: string;
  errors?: Record<string, unknown>;
}

const STALE = 'conflict.stale_version';

/**
 * Whether a save failed because the record changed since it was loaded: an API error (ApiError) or one the data
 * provider passed on to react-admin (HttpError, the code in its body).
 */
export function isStaleVersion(error: unknown): boolean {
  if (error instanceof ApiError) return error.code === STALE;
  return (error as { body?: ErrorBody } | null)?.body?.code === STALE;
}

export function useStaleVersion(): StaleVersion {
  const [stale, setStale] = useState(false);
  const notify = useNotify();
  return {
    stale,
    clear: () => {
      setStale(false);
    },
    mutationOptions: {
      onError: (error: unknown) => {
        if (isStaleVersion(error)) setStale(true);
        const body = (error as { body?: ErrorBody } | null)?.body;
        // Errors naming fields are shown on the form (and notified by it); the rest are notified here.
        if (body?.errors && Object.keys(body.errors).length > 0) return;
        const message = error instanceof Error ? error.message : undefined;
        notify(message ?? 'ra.notification.http_error', { type: 'error', messageArgs: { _: message } });
      },
    },
  };
}

/** Inside the Edit: says what happened and loads the current version under the user's changes. */
export function StaleVersionAlert({ conflict }: { conflict: StaleVersion }) {
  const translate = useTranslate();
  const { refetch } = useEditContext();
  const [loading, setLoading] = useState(false);
  const alert = useRef<HTMLDivElement>(null);
  // The save button is at the bottom of a long form: bring the notice into view.
  useEffect(() => {
    if (conflict.stale) alert.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [conflict.stale]);
  if (!conflict.stale) return null;
  return (
    <Alert
      ref={alert}
      severity="warning"
      role="alert"
      sx={{ mb: 2, width: '100%', boxSizing: 'border-box' }}
      action={
        <Button
          color="inherit"
          size="small"
          disabled={loading}
          onClick={() => {
            setLoading(true);
            void refetch().finally(() => {
              setLoading(false);
              conflict.clear();
            });
          }}
        >
          {translate('magnetiq.stale_version.reload')}
        </Button>
      }
    >
      {translate('magnetiq.stale_version.message')}
    </Alert>
  );
}
