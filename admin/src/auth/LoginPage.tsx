// Sign-in: e-mail and password, then (when the account has two-factor authentication) the authenticator code or
// a recovery code. The API's answers (wrong credentials, a locked account, too many attempts) are shown in its
// own words, in the panel's language.
import { Alert, Box, Button, Link, Stack, TextField } from '@mui/material';
import { useState, type SyntheticEvent } from 'react';
import { useBasename, useLogin, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { ApiError } from '../api/http.ts';
import type { Credentials } from '../providers/authProvider.ts';
import { AuthCard } from './AuthCard.tsx';

type Step = 'password' | 'totp' | 'recovery';

export function LoginPage() {
  const translate = useTranslate();
  const login = useLogin();
  const basename = useBasename();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const credentials: Credentials = {
      email,
      password,
      ...(step === 'password' ? {} : { totp_code: code.trim() }),
    };
    try {
      await login(credentials);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'auth.totp_required') {
        setStep('totp');
      } else {
        setError(failure instanceof Error ? failure.message : String(failure));
        if (failure instanceof ApiError && failure.code === 'auth.totp_invalid') setCode('');
      }
    } finally {
      setBusy(false);
    }
  };

  const title =
    step === 'password' ? translate('magnetiq.auth.sign_in') : translate('magnetiq.auth.totp_title');
  return (
    <AuthCard title={title}>
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate>
        <Stack spacing={2}>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          {step === 'password' ? (
            <>
              <TextField
                label={translate('magnetiq.auth.email')}
                type="email"
                name="email"
                autoComplete="username"
                autoFocus
                required
                value={email}
                onChange={(event) => {
                  setEmail(event.target.value);
                }}
              />
              <TextField
                label={translate('magnetiq.auth.password')}
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => {
                  setPassword(event.target.value);
                }}
              />
            </>
          ) : (
            <TextField
              key={step}
              label={translate(step === 'totp' ? 'magnetiq.auth.totp_code' : 'magnetiq.auth.recovery_code')}
              name="totp_code"
              autoComplete="one-time-code"
              autoFocus
              required
              helperText={translate('magnetiq.auth.totp_help')}
              slotProps={{
                htmlInput: step === 'totp' ? { inputMode: 'numeric', maxLength: 6 } : { maxLength: 20 },
              }}
              value={code}
              onChange={(event) => {
                setCode(event.target.value);
              }}
            />
          )}
          <Button type="submit" variant="contained" size="large" disabled={busy}>
            {busy ? translate('magnetiq.auth.signing_in') : translate('magnetiq.auth.sign_in')}
          </Button>
          {step === 'password' ? (
            <Link component={RouterLink} to={`${basename}/forgot-password`} variant="body2">
              {translate('magnetiq.auth.forgot')}
            </Link>
          ) : (
            <Stack direction="row" spacing={2} sx={{ justifyContent: 'space-between' }}>
              <Button
                size="small"
                onClick={() => {
                  setStep('password');
                  setCode('');
                  setError(null);
                }}
              >
                {translate('magnetiq.auth.back')}
              </Button>
              <Button
                size="small"
                onClick={() => {
                  setStep(step === 'totp' ? 'recovery' : 'totp');
                }}
              >
                {translate(step === 'totp' ? 'magnetiq.auth.use_recovery' : 'magnetiq.auth.use_totp')}
              </Button>
            </Stack>
          )}
        </Stack>
      </Box>
    </AuthCard>
  );
}
