// The screens reached without a session: asking for a reset link, and choosing a password from a reset or an
// invitation link (/admin/reset-password?token=…, the link the API mails).
import { Alert, Box, Button, Link, Stack, TextField } from '@mui/material';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
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

/**
 * A form these screens send once: its fields and its button until it went through, then what happened (`done`);
 * while it is on its way the button waits, and the API's refusal is shown above the fields in its own words.
 */
function OneTimeForm({
  title,
  done,
  submitLabel,
  ready,
  send,
  children,
}: {
  title: string;
  done: string;
  submitLabel: string;
  /** Whether the fields are filled in well enough to send. */
  ready: boolean;
  send: () => Promise<unknown>;
  children: ReactNode;
}) {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      await send();
      setSent(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={title}>
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate>
        <Stack spacing={2}>
          {sent ? (
            <Alert severity="success">{done}</Alert>
          ) : (
            <>
              {error && (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              )}
              {children}
              <Button type="submit" variant="contained" disabled={busy || !ready}>
                {submitLabel}
              </Button>
            </>
          )}
          <BackToSignIn />
        </Stack>
      </Box>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const translate = useTranslate();
  const [email, setEmail] = useState('');
  return (
    <OneTimeForm
      title={translate('magnetiq.auth.reset_title')}
      done={translate('magnetiq.auth.reset_sent')}
      submitLabel={translate('magnetiq.auth.reset_send')}
      ready={email !== ''}
      send={() => api('POST', '/auth/password-reset/request', { body: { email } })}
    >
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
    </OneTimeForm>
  );
}

export function ResetPasswordPage() {
  const translate = useTranslate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const differ = repeat !== '' && repeat !== password;
  return (
    <OneTimeForm
      title={translate('magnetiq.auth.set_password')}
      done={translate('magnetiq.auth.password_set')}
      submitLabel={translate('magnetiq.auth.set_password')}
      ready={password !== '' && !differ}
      send={() => api('POST', '/auth/password-reset/confirm', { body: { token, password } })}
    >
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
    </OneTimeForm>
  );
}
