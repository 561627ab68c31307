import { format, type Locale, type Translated } from '../../platform/i18n/index.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import { renderLayout } from '../../platform/mail/templates.ts';

/** Whom the notice goes to, and what it says about their account. */
export interface PasswordChangedNotice {
  email: string;
  firstName: string;
  language: string;
  timezone: string;
  at: Date;
  twoFactorEnabled: boolean;
}

const TEXT = {
  subject: {
    en: 'Your voltAIc Systems password was changed',
    de: 'Ihr Passwort bei voltAIc Systems wurde geändert',
  },
  hello: { en: 'Hello {name},', de: 'Hallo {name},' },
  intro: {
    en: 'the password of your voltAIc Systems account was just changed with a reset link.',
    de: 'das Passwort Ihres Kontos bei voltAIc Systems wurde soeben über einen Link zum Zurücksetzen geändert.',
  },
  account: { en: 'Account', de: 'Konto' },
  when: { en: 'Changed', de: 'Geändert' },
  twoFactor: { en: 'Two-factor authentication', de: 'Zwei-Faktor-Authentifizierung' },
  on: { en: 'on (unchanged)', de: 'aktiv (unverändert)' },
  off: { en: 'off', de: 'nicht aktiv' },
  staysOn: {
    en: 'Two-factor authentication stays on: sign in with the new password and a code from your authenticator app (or one of your recovery codes).',
    de: 'Die Zwei-Faktor-Authentifizierung bleibt aktiv: Melden Sie sich mit dem neuen Passwort und einem Code aus Ihrer Authenticator-App (oder einem Ihrer Wiederherstellungscodes) an.',
  },
  sessions: {
    en: 'Every session of the account was ended; sign in again on each device.',
    de: 'Alle Sitzungen des Kontos wurden beendet; melden Sie sich auf jedem Gerät erneut an.',
  },
  notYou: {
    en: 'If you did not do this, ask for a new reset link at once and tell an administrator.',
    de: 'Falls Sie das nicht waren, fordern Sie sofort einen neuen Link zum Zurücksetzen an und informieren Sie einen Administrator.',
  },
  signature: { en: 'voltAIc Systems', de: 'voltAIc Systems' },
} satisfies Record<string, Translated>;

/** The time in the account's zone, with the zone named (UTC when the zone is not one Intl knows). */
function formatAt(at: Date, timezone: string, locale: Locale): string {
  const options = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  } as const;
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  try {
    return new Intl.DateTimeFormat(tag, { ...options, timeZone: timezone }).format(at);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' }).format(at);
  }
}

/**
 * The notice after a password was reset with a link, in the account's language: when, and whether two-factor
 * authentication stays on (a reset never turns it off). The owner learns of a reset they did not make.
 */
export function passwordChangedMail(notice: PasswordChangedNotice): MailMessage {
  const locale: Locale = notice.language === 'de' ? 'de' : 'en';
  const rendered = renderLayout(
    {
      subject: TEXT.subject[locale],
      greeting: format(TEXT.hello[locale], { name: notice.firstName }),
      intro: TEXT.intro[locale],
      details: [
        { label: TEXT.account[locale], value: notice.email },
        { label: TEXT.when[locale], value: formatAt(notice.at, notice.timezone, locale) },
        {
          label: TEXT.twoFactor[locale],
          value: (notice.twoFactorEnabled ? TEXT.on : TEXT.off)[locale],
        },
      ],
      outro: [
        ...(notice.twoFactorEnabled ? [TEXT.staysOn[locale]] : []),
        TEXT.sessions[locale],
        TEXT.notYou[locale],
      ],
      signature: TEXT.signature[locale],
    },
    locale,
  );
  return { to: notice.email, language: locale, template: 'password_changed', ...rendered };
}
