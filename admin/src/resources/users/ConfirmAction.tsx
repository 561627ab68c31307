// A button that calls one API action after the person confirmed it (or at once, without `confirm`), shows the
// API's answer in words, and reloads what the screen shows.
import { Button, type ButtonProps } from '@mui/material';
import { useState, type ReactElement } from 'react';
import { Confirm, useNotify, useRefresh, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';

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

export interface ConfirmActionProps {
  /** Message key of the button's text. */
  label: string;
  method: 'POST' | 'DELETE' | 'PATCH';
  /** Under /api/v1. */
  path: string;
  body?: unknown;
  /** Message keys of the confirmation dialog; none: no dialog. */
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
