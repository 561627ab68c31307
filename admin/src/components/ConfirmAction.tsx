// Confirm, then act. ConfirmDialog: a question, its answer button named after the action (a danger in red), and
// what the action needs besides (a reason, what deleting changes); it stays open while the action runs and shows
// a failure in its own words, so nothing typed is lost. ConfirmAction: a button that calls one API action after
// the person confirmed it (react-admin's Confirm: Cancel / Confirm) or at once, shows the API's answer in words,
// and reloads what the screen shows.
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  type ButtonProps,
} from '@mui/material';
import { useId, useState, type ReactElement, type ReactNode } from 'react';
import { Confirm, useNotify, useRefresh, useTranslate } from 'react-admin';
import { api } from '../api/http.ts';

/** The text of a failure (the API's message, already in the user's language). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Notification options for a text that is no message key (an API answer): `_` is what polyglot shows for an
 * unknown key, so the text is shown as it is and not reported as an untranslated key.
 */
export function asText(text: string): { messageArgs: { _: string } } {
  return { messageArgs: { _: text } };
}

export interface ConfirmDialogProps {
  open: boolean;
  /** The question (translated). */
  title: string;
  /** What the action does (translated), above `children`. */
  text?: string;
  /** The answer button's text (translated): the action's name. */
  confirmLabel: string;
  /** The way back (translated; default react-admin's Cancel). */
  cancelLabel?: string;
  /** The action cannot be undone or costs something: the answer button in red. */
  danger?: boolean;
  /** The answer button's icon (a spinner replaces it while the action runs). */
  icon?: ReactElement;
  /** The answer is not possible yet (e.g. while what the dialog shows loads). */
  disabled?: boolean;
  /** Focus the answer button when the dialog opens (only for a dialog with nothing to fill in). */
  focusConfirm?: boolean;
  onClose: () => void;
  /** The action: the dialog waits for it; a failure it throws is shown in the dialog, which stays open. */
  run: () => Promise<void>;
  children?: ReactNode;
}

export function ConfirmDialog({
  open,
  title,
  text,
  confirmLabel,
  cancelLabel,
  danger = false,
  icon,
  disabled = false,
  focusConfirm = false,
  onClose,
  run,
  children,
}: ConfirmDialogProps) {
  const translate = useTranslate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  // A failure shown before belongs to that attempt: opened again, the dialog starts clean.
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) setError(null);
  }
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {text && <DialogContentText>{text}</DialogContentText>}
        {children}
        {error && (
          <Alert severity="error" sx={{ mt: 2 }} role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {cancelLabel ?? translate('ra.action.cancel')}
        </Button>
        <Button
          variant="contained"
          color={danger ? 'error' : 'primary'}
          onClick={() => void submit()}
          disabled={disabled || busy}
          autoFocus={focusConfirm}
          startIcon={busy ? <CircularProgress size={16} color="inherit" aria-hidden /> : icon}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export interface ConfirmActionProps {
  /** Message key of the button's text. */
  label: string;
  method: 'POST' | 'DELETE' | 'PATCH';
  /** Under /api/v1. */
  path: string;
  body?: unknown;
  /** Message keys of the confirmation dialog (react-admin's Confirm); none: no dialog. */
  confirm?: { title: string; content: string };
  /** Message key of the success notice. */
  success: string;
  messageArgs?: Record<string, unknown>;
  icon?: ReactElement;
  color?: ButtonProps['color'];
  variant?: ButtonProps['variant'];
  onDone?: (answer: unknown) => void;
}

export function ConfirmAction({
  label,
  method,
  path,
  body,
  confirm,
  success,
  messageArgs,
  icon,
  color = 'primary',
  variant = 'text',
  onDone,
}: ConfirmActionProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      const answer = await api<unknown>(method, path, body === undefined ? {} : { body });
      setOpen(false);
      notify(success, { type: 'success', messageArgs });
      refresh();
      onDone?.(answer);
    } catch (error) {
      setOpen(false);
      const text = errorText(error);
      notify(text, { type: 'error', ...asText(text) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        color={color}
        variant={variant}
        startIcon={icon}
        disabled={busy}
        onClick={() => {
          if (confirm) setOpen(true);
          else void run();
        }}
      >
        {translate(label)}
      </Button>
      {confirm && (
        <Confirm
          isOpen={open}
          loading={busy}
          title={confirm.title}
          content={confirm.content}
          titleTranslateOptions={messageArgs}
          contentTranslateOptions={messageArgs}
          onConfirm={() => void run()}
          onClose={() => {
            setOpen(false);
          }}
        />
      )}
    </>
  );
}
