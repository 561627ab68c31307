import { AppError, defineErrors } from '../../platform/http/errors.ts';

const TOTP_INVALID = {
  en: 'The code is wrong or was already used.',
  de: 'Der Code ist falsch oder wurde bereits verwendet.',
};

/** The error codes of the identity module: HTTP status once, and what each tells a person in English and German. */
export const authError = defineErrors({
  'auth.required': {
    status: 401,
    en: 'Sign in first: this needs a session (Authorization: Bearer <token> or the session cookie).',
    de: 'Bitte zuerst anmelden: Dafür ist eine Sitzung nötig (Authorization: Bearer <Token> oder das Sitzungs-Cookie).',
  },
  'auth.invalid_credentials': {
    status: 401,
    en: 'The e-mail address or the password is wrong.',
    de: 'Die E-Mail-Adresse oder das Passwort ist falsch.',
  },
  'auth.locked': {
    status: 423,
    en: 'This account is locked after too many failed sign-ins. Try again in {minutes} min.',
    de: 'Dieses Konto ist nach zu vielen fehlgeschlagenen Anmeldungen gesperrt. Versuchen Sie es in {minutes} Min. erneut.',
  },
  'auth.account_disabled': {
    status: 403,
    en: 'This account is deactivated. Ask an administrator to activate it.',
    de: 'Dieses Konto ist deaktiviert. Bitten Sie einen Administrator, es zu aktivieren.',
  },
  'auth.totp_required': {
    status: 401,
    en: 'Enter the code from your authenticator app (or a recovery code).',
    de: 'Geben Sie den Code aus Ihrer Authenticator-App (oder einen Wiederherstellungscode) ein.',
  },
  'auth.totp_invalid': { status: 401, ...TOTP_INVALID },
  'auth.token_expired': {
    status: 401,
    en: 'The access token has expired; refresh it with the refresh token.',
    de: 'Das Zugriffstoken ist abgelaufen; erneuern Sie es mit dem Refresh-Token.',
  },
  'auth.invalid_token': {
    status: 401,
    en: 'The token is not valid, or its session has ended. Sign in again.',
    de: 'Das Token ist ungültig oder seine Sitzung ist beendet. Bitte erneut anmelden.',
  },
  'auth.refresh_missing': {
    status: 400,
    en: 'Send the refresh token in the body (refresh_token) or in the session cookie.',
    de: 'Senden Sie das Refresh-Token im Inhalt (refresh_token) oder im Sitzungs-Cookie.',
  },
  'auth.refresh_reused': {
    status: 401,
    en: 'This refresh token was already used. For your safety the session has been ended; sign in again.',
    de: 'Dieses Refresh-Token wurde bereits verwendet. Zu Ihrer Sicherheit wurde die Sitzung beendet; bitte erneut anmelden.',
  },
  'auth.session_expired': {
    status: 401,
    en: 'The session has expired. Sign in again.',
    de: 'Die Sitzung ist abgelaufen. Bitte erneut anmelden.',
  },
  'auth.session_not_found': {
    status: 404,
    en: 'There is no such live session of yours.',
    de: 'Eine solche aktive Sitzung von Ihnen gibt es nicht.',
  },
  'auth.csrf_failed': {
    status: 403,
    en: 'The CSRF token is missing or wrong. Reload the page and try again.',
    de: 'Das CSRF-Token fehlt oder ist falsch. Laden Sie die Seite neu und versuchen Sie es erneut.',
  },
  'auth.forbidden': {
    status: 403,
    en: 'You do not have the permission {permission} needed for this.',
    de: 'Ihnen fehlt die dafür nötige Berechtigung {permission}.',
  },
  'auth.two_factor_enrolment_required': {
    status: 403,
    en: 'Super admins must set up two-factor authentication first (POST /api/v1/auth/2fa/setup).',
    de: 'Super-Admins müssen zuerst die Zwei-Faktor-Authentifizierung einrichten (POST /api/v1/auth/2fa/setup).',
  },
  'auth.password_policy': {
    status: 400,
    en: 'The password must be {min} to {max} characters long and must not be the e-mail address.',
    de: 'Das Passwort muss {min} bis {max} Zeichen lang sein und darf nicht die E-Mail-Adresse sein.',
  },
  'auth.password_incorrect': {
    status: 403,
    en: 'The password is wrong.',
    de: 'Das Passwort ist falsch.',
  },
  'auth.reset_token_invalid': {
    status: 400,
    en: 'This reset link is invalid, was already used or has expired. Ask for a new one.',
    de: 'Dieser Link zum Zurücksetzen ist ungültig, wurde bereits verwendet oder ist abgelaufen. Fordern Sie einen neuen an.',
  },
  'auth.totp_already_enabled': {
    status: 409,
    en: 'Two-factor authentication is already on.',
    de: 'Die Zwei-Faktor-Authentifizierung ist bereits aktiv.',
  },
  'auth.totp_not_started': {
    status: 409,
    en: 'Start the enrolment first (POST /api/v1/auth/2fa/setup).',
    de: 'Starten Sie zuerst die Einrichtung (POST /api/v1/auth/2fa/setup).',
  },
  'auth.totp_not_enabled': {
    status: 409,
    en: 'Two-factor authentication is not on.',
    de: 'Die Zwei-Faktor-Authentifizierung ist nicht aktiv.',
  },
});

/**
 * A wrong code while enrolling in two-factor authentication: the code of a wrong code at sign-in, but 400, for
 * the caller is signed in and only the input is wrong (a 401 would tell a client to sign in again).
 */
export function enrolmentCodeInvalid(): AppError {
  return new AppError('auth.totp_invalid', { status: 400, ...TOTP_INVALID });
}
