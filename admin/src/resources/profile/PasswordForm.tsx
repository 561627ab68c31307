// A new password for the signed-in user: the current one, the new one twice. The API ends the user's other
// sessions (this one stays).
import { Alert, Box, Button, Stack, TextField } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Body } from '../../api/types.ts';
import { loadMe } from '../../auth/session.ts';
import { readableErrorLabel } from '../users/a11y.ts';
import { errorText } from '../../components/ConfirmAction.tsx';
import { SESSIONS_KEY } from './Sessions.tsx';

const MIN = 12;
const MAX = 128;

export function PasswordForm({ email }: { email: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tooShort = next !== '' && next.length < MIN;
  const isEmail = next !== '' && next.toLowerCase() === email.toLowerCase();
  const differ = repeat !== '' && repeat !== next;
  const ready = current !== '' && next.length >= MIN && next.length <= MAX && !isEmail && repeat === next;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const body: Body<'changePassword'> = { current_password: current, new_password: next };
      await api('POST', '/auth/password', { body });
      setCurrent('');
      setNext('');
      setRepeat('');
      notify('magnetiq.profile.password_changed', { type: 'success' });
      // The account's version moved on (the profile form saves against it), and the other sessions ended.
      await Promise.all([loadMe(), queryClient.invalidateQueries({ queryKey: SESSIONS_KEY })]);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const newHelp = tooShort
    ? translate('magnetiq.profile.password_short', { min: MIN })
    : isEmail
      ? translate('magnetiq.profile.password_is_email')
      : translate('magnetiq.profile.password_rules', { min: MIN, max: MAX });

  return (
    <Box component="form" onSubmit={(event) => void submit(event)} noValidate sx={{ maxWidth: 480 }}>
      {/* The account's name, for password managers. */}
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <Stack spacing={2}>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <TextField
          type="password"
          label={translate('magnetiq.profile.current_password')}
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => {
            setCurrent(event.target.value);
          }}
        />
        <TextField
          type="password"
          label={translate('magnetiq.auth.new_password')}
          autoComplete="new-password"
          required
          error={tooShort || isEmail}
          sx={readableErrorLabel}
          helperText={newHelp}
          value={next}
          onChange={(event) => {
            setNext(event.target.value);
          }}
          slotProps={{ htmlInput: { maxLength: MAX } }}
        />
        <TextField
          type="password"
          label={translate('magnetiq.auth.new_password_repeat')}
          autoComplete="new-password"
          required
          error={differ}
          sx={readableErrorLabel}
          helperText={differ ? translate('magnetiq.auth.passwords_differ') : ' '}
          value={repeat}
          onChange={(event) => {
            setRepeat(event.target.value);
          }}
        />
        <Box>
          <Button type="submit" variant="contained" disabled={!ready || busy}>
            {translate('magnetiq.profile.change_password')}
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}
