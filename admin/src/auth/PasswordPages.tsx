// The screens reached without a session: asking for a reset link, and choosing a password from a reset or an
// invitation link (/admin/reset-password?token=…, the link the API mails).
import { Alert, Box, Button, Link, Stack, TextField } from '@mui/material';
import { useState, type SyntheticEvent } from 'react';
import { useBasename, useTranslate } from 'react-admin';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { api } from '../api/http.ts';
import { AuthCard } from './AuthCard.tsx';

function BackToSignIn() {
  const translate = useTranslate();
  const basename = useBasename();
  return (
    <Link component={RouterLink} to={`${basename}/login`} variant="body2">
      {translate('magnetiq.auth.to_sign_in')}
    </Link>
  );
}

export function ForgotPasswordPage() {
  const translate = useTranslate();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/auth/password-reset/request', { body: { email } });
      setSent(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={translate('magnetiq.auth.reset_title')}>
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate>
        <Stack spacing={2}>
          {sent ? (
            <Alert severity="success">{translate('magnetiq.auth.reset_sent')}</Alert>
          ) : (
            <>
              {error && (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              )}
              <Alert severity="info">{translate('magnetiq.auth.reset_help')}</Alert>
              <TextField
                label={translate('magnetiq.auth.email')}
                type="email"
                autoComplete="username"
                autoFocus
                required
                value={email}
                onChange={(event) => {
                  setEmail(event.target.value);
                }}
              />
              <Button type="submit" variant="contained" disabled={busy || email === ''}>
                {translate('magnetiq.auth.reset_send')}
              </Button>
            </>
          )}
          <BackToSignIn />
        </Stack>
      </Box>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const translate = useTranslate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const differ = repeat !== '' && repeat !== password;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (differ) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/auth/password-reset/confirm', { body: { token, password } });
      setDone(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={translate('magnetiq.auth.set_password')}>
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate>
        <Stack spacing={2}>
          {done ? (
            <Alert severity="success">{translate('magnetiq.auth.password_set')}</Alert>
          ) : (
            <>
              {error && (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              )}
              <TextField
                label={translate('magnetiq.auth.new_password')}
                type="password"
                autoComplete="new-password"
                autoFocus
                required
                value={password}
                onChange={(event) => {
                  setPassword(event.target.value);
                }}
              />
              <TextField
                label={translate('magnetiq.auth.new_password_repeat')}
                type="password"
                autoComplete="new-password"
                required
                error={differ}
                helperText={differ ? translate('magnetiq.auth.passwords_differ') : ' '}
                value={repeat}
                onChange={(event) => {
                  setRepeat(event.target.value);
                }}
              />
              <Button type="submit" variant="contained" disabled={busy || password === '' || differ}>
                {translate('magnetiq.auth.set_password')}
              </Button>
            </>
          )}
          <BackToSignIn />
        </Stack>
      </Box>
    </AuthCard>
  );
}
