// A save against a stale version: someone saved the page since this form loaded it. The dialog shows what they
// changed (the server's values against the ones this form was loaded with) and what the user changed, and never
// drops the user's edits: they can load the server's version with their changes put back on top (unsaved, to
// check and save), or copy their changes as JSON.
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@mui/material';
import { useId, useMemo, useState } from 'react';
import { useTranslate } from 'react-admin';
import { useFormatDateTime } from '../../components/DateTime.tsx';
import { DiffTable } from './Diff.tsx';
import { cleanPageField, differingFields, differingPaths, fieldOf, type PageRecord } from './model.ts';

export interface Conflict {
  /** The page as the form loaded it. */
  loaded: PageRecord;
  /** The page as the server has it now. */
  server: PageRecord;
  /** The form's values when the save was refused. */
  mine: Record<string, unknown>;
}

/** What the user changed: bilingual texts by language ("title.de"), other fields as a whole. */
export function myChanges(conflict: Pick<Conflict, 'loaded' | 'mine'>): string[] {
  return differingPaths(conflict.mine, conflict.loaded);
}

export function ConflictDialog({
  conflict,
  onClose,
  onReapply,
}: {
  conflict: Conflict | null;
  onClose: () => void;
  /** Puts the user's changes (these paths of `mine`) on top of the server's version. */
  onReapply: (paths: string[]) => void;
}) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const titleId = useId();
  const [copied, setCopied] = useState<'done' | 'manual' | null>(null);

  const analysis = useMemo(() => {
    if (!conflict) return null;
    const loaded = conflict.loaded as unknown as Record<string, unknown>;
    const server = conflict.server as unknown as Record<string, unknown>;
    const theirs = differingFields(server, loaded);
    const statusChanged = loaded['status'] !== server['status'];
    const paths = myChanges(conflict);
    const theirPaths = new Set(differingPaths(server, loaded));
    // Fields both changed (in the same language, for texts): the user's value is the one put back.
    const both = new Set(paths.filter((path) => theirPaths.has(path)).map(fieldOf));
    const mine = [...new Set(paths.map(fieldOf))];
    const json = JSON.stringify(
      Object.fromEntries(mine.map((field) => [field, cleanPageField(field, conflict.mine[field]) ?? null])),
      null,
      2,
    );
    return { loaded, server, theirs, statusChanged, paths, both, mine, json };
  }, [conflict]);

  if (!conflict || !analysis) return null;
  const { loaded, server, theirs, statusChanged, paths, both, mine, json } = analysis;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(json);
      setCopied('done');
    } catch {
      // No clipboard (an insecure context, a refused permission): the text is shown to copy by hand.
      setCopied('manual');
    }
  };

  const theirRows = [
    ...(statusChanged ? [{ field: 'status', values: [loaded['status'], server['status']] }] : []),
    ...theirs.map((field) => ({
      field,
      values: [loaded[field], server[field]],
      note: both.has(field) ? (
        <Chip
          size="small"
          label={translate('magnetiq.pages.conflict.both')}
          sx={{ mt: 0.5, bgcolor: '#e65100', color: '#fff' }}
        />
      ) : undefined,
    })),
  ];

  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth aria-labelledby={titleId} scroll="paper">
      <DialogTitle id={titleId}>{translate('magnetiq.pages.conflict.title')}</DialogTitle>
      <DialogContent dividers>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('magnetiq.pages.conflict.explain', {
            when: format(conflict.server.updated_at),
            version: conflict.server.version,
          })}
        </Alert>
        {theirRows.length > 0 ? (
          <DiffTable
            caption={translate('magnetiq.pages.conflict.theirs')}
            columns={[
              translate('magnetiq.pages.conflict.loaded'),
              translate('magnetiq.pages.conflict.server'),
            ]}
            rows={theirRows}
          />
        ) : (
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('magnetiq.pages.conflict.theirs_none')}
          </Typography>
        )}
        <Box sx={{ mt: 3 }}>
          {mine.length > 0 ? (
            <DiffTable
              caption={translate('magnetiq.pages.conflict.mine')}
              columns={[translate('magnetiq.pages.conflict.yours')]}
              rows={mine.map((field) => ({ field, values: [conflict.mine[field]] }))}
            />
          ) : (
            <Typography variant="body2">{translate('magnetiq.pages.conflict.mine_none')}</Typography>
          )}
        </Box>
        {copied === 'done' && (
          <Alert severity="success" sx={{ mt: 2 }} role="status">
            {translate('magnetiq.pages.conflict.copied')}
          </Alert>
        )}
        {copied === 'manual' && (
          <Box sx={{ mt: 2 }}>
            <Alert severity="info" sx={{ mb: 1 }}>
              {translate('magnetiq.pages.conflict.copy_manually')}
            </Alert>
            <TextField
              label={translate('magnetiq.pages.conflict.json')}
              value={json}
              multiline
              fullWidth
              maxRows={12}
              slotProps={{ htmlInput: { readOnly: true } }}
              onFocus={(event) => {
                event.target.select();
              }}
              autoFocus
            />
          </Box>
        )}
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Button onClick={onClose}>{translate('magnetiq.pages.conflict.keep_editing')}</Button>
        <Button onClick={() => void copy()} disabled={mine.length === 0}>
          {translate('magnetiq.pages.conflict.copy')}
        </Button>
        <Button
          variant="contained"
          onClick={() => {
            onReapply(paths);
          }}
        >
          {translate('magnetiq.pages.conflict.reapply')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
