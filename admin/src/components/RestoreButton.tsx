// The way back from the trash, the same for every resource that has one: POST its restore route, a notice naming
// what came back (or the server's reason it could not), then `onRestored` to show the record as it is now.
import RestoreFromTrashIcon from '@mui/icons-material/RestoreFromTrash';
import { Button } from '@mui/material';
import { useState, type MouseEvent } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { api } from '../api/http.ts';

export function RestoreButton({
  path,
  name,
  label,
  restored,
  onRestored,
  inAlert = false,
}: {
  /** The API path of the restore route, e.g. `/media/<id>/restore`. */
  path: string;
  /** What comes back, as the notice and the accessible name say it. */
  name: string;
  /** Translation keys: the button's text, and its accessible name with %{name} (for a row of a list). */
  label: { text: string; named?: string };
  /** Translation key of the notice after it worked, with %{name}. */
  restored: string;
  onRestored: () => unknown;
  /** Shown as an Alert's action (takes the alert's colour). */
  inAlert?: boolean;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const restore = async (event: MouseEvent) => {
    // In a list row, the row's own click (open the record) must not follow.
    event.stopPropagation();
    setBusy(true);
    try {
      await api('POST', path);
      notify(restored, { type: 'info', messageArgs: { name } });
      await onRestored();
    } catch (error) {
      const message = error instanceof Error ? error.message : undefined;
      notify(message ?? 'magnetiq.states.error', { type: 'error', messageArgs: { _: message } });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      {...(inAlert ? { color: 'inherit' as const } : {})}
      startIcon={<RestoreFromTrashIcon />}
      disabled={busy}
      onClick={(event) => void restore(event)}
      {...(label.named ? { 'aria-label': translate(label.named, { name }) } : {})}
    >
      {translate(label.text)}
    </Button>
  );
}
