// Two-factor authentication of the signed-in user: enrolment (password, then the QR code or the secret typed
// into an authenticator app, then a code from it), recovery codes shown once, new recovery codes, turning it off.
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import SecurityIcon from '@mui/icons-material/Security';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState, type SyntheticEvent } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer, Me } from '../../api/types.ts';
import { loadMe } from '../../auth/session.ts';
import { errorText } from '../../components/ConfirmAction.tsx';
import { copyText } from './copy.ts';

type Setup = Answer<'setupTwoFactor'>;

/** The SVG as an image: never put into the page as markup, so nothing in it can run. */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The secret in groups of four, as authenticator apps show it. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

function CopyButton({ text, label }: { text: string; label: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  return (
    <Button
      size="small"
      startIcon={<ContentCopyIcon />}
      onClick={() =>
        void copyText(text).then((copied) => {
          notify(copied ? 'magnetiq.profile.copied' : 'magnetiq.profile.copy_failed', {
            type: copied ? 'info' : 'warning',
          });
        })
      }
    >
      {translate(label)}
    </Button>
  );
}

/** The recovery codes, shown once, with copy. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const translate = useTranslate();
  return (
    <Stack spacing={1}>
      <Alert severity="warning">{translate('magnetiq.profile.codes_once')}</Alert>
      <Box
        component="ul"
        aria-label={translate('magnetiq.profile.recovery_codes')}
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(2, max-content)',
          columnGap: 6,
          rowGap: 0.5,
          fontFamily: 'monospace',
          fontSize: '1.05rem',
          listStyle: 'none',
          m: 0,
          p: 0,
        }}
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </Box>
      <Box>
        <CopyButton text={codes.join('\n')} label="magnetiq.profile.copy_codes" />
      </Box>
    </Stack>
  );
}

/** Asks for the password, then runs `action` with it; its error is shown in the dialog. */
function PasswordDialog({
  title,
  text,
  confirm,
  danger = false,
  action,
  onClose,
}: {
  title: string;
  text: string;
  confirm: string;
  danger?: boolean;
  action: (password: string) => Promise<void>;
  onClose: () => void;
}) {
  const translate = useTranslate();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action(password);
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="xs" aria-labelledby="password-dialog-title">
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate>
        <DialogTitle id="password-dialog-title">{translate(title)}</DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            <DialogContentText>{translate(text)}</DialogContentText>
            {error && (
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            )}
            <TextField
              type="password"
              label={translate('magnetiq.profile.current_password')}
              autoComplete="current-password"
              autoFocus
              required
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
              }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button
            type="submit"
            variant="contained"
            color={danger ? 'error' : 'primary'}
            disabled={!password || busy}
          >
            {translate(confirm)}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

/** Enrolment: password → QR code and code → recovery codes. */
function Enrolment({ onClose }: { onClose: () => void }) {
  const translate = useTranslate();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!setup) {
    return (
      <PasswordDialog
        title="magnetiq.profile.enrol_title"
        text="magnetiq.profile.enrol_password"
        confirm="magnetiq.profile.continue"
        action={async (password) => {
          setSetup(await api<Setup>('POST', '/auth/2fa/setup', { body: { password } }));
        }}
        onClose={onClose}
      />
    );
  }

  const finish = () => {
    void loadMe().finally(onClose);
  };

  const confirm = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api<Answer<'confirmTwoFactor'>>('POST', '/auth/2fa/confirm', {
        body: { code: code.replace(/\s/g, '') },
      });
      setCodes(answer.recovery_codes);
    } catch (failure) {
      setError(errorText(failure));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (codes) {
    return (
      <Dialog open fullWidth maxWidth="sm" aria-labelledby="enrol-title" onClose={finish}>
        <DialogTitle id="enrol-title">{translate('magnetiq.profile.enrol_done')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            <DialogContentText>{translate('magnetiq.profile.codes_help')}</DialogContentText>
            <RecoveryCodes codes={codes} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={finish}>
            {translate('magnetiq.profile.codes_stored')}
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <Dialog open fullWidth maxWidth="sm" aria-labelledby="enrol-title" onClose={onClose}>
      <Box component="form" onSubmit={(event) => void confirm(event)} noValidate>
        <DialogTitle id="enrol-title">{translate('magnetiq.profile.enrol_title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            <DialogContentText>{translate('magnetiq.profile.enrol_scan')}</DialogContentText>
            <Box sx={{ display: 'flex', justifyContent: 'center' }}>
              <Box
                component="img"
                src={svgDataUrl(setup.qr_svg)}
                alt={translate('magnetiq.profile.qr_alt')}
                sx={{ width: 220, height: 220, border: 1, borderColor: 'divider', borderRadius: 1 }}
              />
            </Box>
            <Box>
              <Typography variant="body2" color="text.secondary">
                {translate('magnetiq.profile.enrol_manual')}
              </Typography>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                <Typography
                  component="code"
                  data-testid="totp-secret"
                  sx={{ fontFamily: 'monospace', fontSize: '1rem', wordBreak: 'break-all' }}
                >
                  {grouped(setup.secret)}
                </Typography>
                <CopyButton text={setup.secret} label="magnetiq.profile.copy_secret" />
              </Stack>
            </Box>
            {error && (
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            )}
            <TextField
              label={translate('magnetiq.auth.totp_code')}
              autoComplete="one-time-code"
              required
              autoFocus
              value={code}
              onChange={(event) => {
                setCode(event.target.value);
              }}
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 7 } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={code.replace(/\s/g, '').length !== 6 || busy}>
            {translate('magnetiq.profile.enrol_confirm')}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

function NewCodes({ onClose }: { onClose: () => void }) {
  const translate = useTranslate();
  const [codes, setCodes] = useState<string[] | null>(null);
  const finish = () => {
    void loadMe().finally(onClose);
  };
  if (!codes) {
    return (
      <PasswordDialog
        title="magnetiq.profile.new_codes_title"
        text="magnetiq.profile.new_codes_text"
        confirm="magnetiq.profile.new_codes"
        action={async (password) => {
          const answer = await api<Answer<'regenerateRecoveryCodes'>>('POST', '/auth/2fa/recovery-codes', {
            body: { password },
          });
          setCodes(answer.recovery_codes);
        }}
        onClose={onClose}
      />
    );
  }
  return (
    <Dialog open fullWidth maxWidth="sm" aria-labelledby="codes-title" onClose={finish}>
      <DialogTitle id="codes-title">{translate('magnetiq.profile.recovery_codes')}</DialogTitle>
      <DialogContent>
        <RecoveryCodes codes={codes} />
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={finish}>
          {translate('magnetiq.profile.codes_stored')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function TwoFactor({ me }: { me: Me }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [dialog, setDialog] = useState<'enrol' | 'codes' | 'disable' | null>(null);
  const close = () => {
    setDialog(null);
  };
  const { enabled, enrolment_required: required, recovery_codes_left: left } = me.two_factor;

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <SecurityIcon color={enabled ? 'success' : 'disabled'} aria-hidden />
        <Typography>
          {translate(enabled ? 'magnetiq.profile.two_factor_on' : 'magnetiq.profile.two_factor_off')}
        </Typography>
      </Stack>
      {enabled && (
        <Typography variant="body2" color={left <= 2 ? 'error.main' : 'text.secondary'}>
          {translate('magnetiq.profile.codes_left', { smart_count: left })}
        </Typography>
      )}
      {!enabled && required && (
        <Alert severity="warning">{translate('magnetiq.profile.two_factor_required')}</Alert>
      )}
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        {enabled ? (
          <>
            <Button
              variant="outlined"
              onClick={() => {
                setDialog('codes');
              }}
            >
              {translate('magnetiq.profile.new_codes')}
            </Button>
            <Button
              variant="outlined"
              color="error"
              onClick={() => {
                setDialog('disable');
              }}
            >
              {translate('magnetiq.profile.disable')}
            </Button>
          </>
        ) : (
          <Button
            variant="contained"
            onClick={() => {
              setDialog('enrol');
            }}
          >
            {translate('magnetiq.profile.enrol')}
          </Button>
        )}
      </Stack>
      {dialog === 'enrol' && <Enrolment onClose={close} />}
      {dialog === 'codes' && <NewCodes onClose={close} />}
      {dialog === 'disable' && (
        <PasswordDialog
          title="magnetiq.profile.disable_title"
          text={required ? 'magnetiq.profile.disable_required' : 'magnetiq.profile.disable_text'}
          confirm="magnetiq.profile.disable"
          danger
          action={async (password) => {
            await api('POST', '/auth/2fa/disable', { body: { password } });
            await loadMe();
            notify('magnetiq.profile.disabled', { type: 'success' });
            close();
          }}
          onClose={close}
        />
      )}
    </Stack>
  );
}
