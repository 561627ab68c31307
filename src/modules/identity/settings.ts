import { defineSettings, setting, rules, type SettingTypes } from '../../platform/settings.ts';

/** The settings of the identity module: sign-in security: type, default, rules and what each does in English and German. */
export const securitySettings = defineSettings({
  'security.max_login_attempts': setting<number>({
    value: 5,
    data_type: 'number',
    category: 'security',
    description: {
      en: 'Failed logins in a row that lock an account',
      de: 'Fehlgeschlagene Anmeldungen in Folge, nach denen ein Konto gesperrt wird',
    },
    validation_rules: rules.integer(1, 100),
  }),
  'security.lockout_minutes': setting<number>({
    value: 15,
    data_type: 'number',
    category: 'security',
    description: {
      en: 'How long a locked account stays locked',
      de: 'Wie lange ein gesperrtes Konto gesperrt bleibt (Minuten)',
    },
    validation_rules: rules.integer(1, 1440),
  }),
  'security.refresh_grace_seconds': setting<number>({
    value: 10,
    data_type: 'number',
    category: 'security',
    description: {
      en: 'Seconds after a refresh in which the refresh token it exchanged still gets the same new tokens (two tabs refreshing at once); later reuse ends the session. 0: no grace',
      de: 'Sekunden nach einer Erneuerung, in denen das dabei getauschte Refresh-Token noch dieselben neuen Tokens erhält (zwei Tabs erneuern gleichzeitig); spätere Wiederverwendung beendet die Sitzung. 0: keine Karenz',
    },
    validation_rules: rules.integer(0, 60),
  }),
  'security.require_2fa_for_super_admins': setting<boolean>({
    value: false,
    data_type: 'boolean',
    category: 'security',
    description: {
      en: 'Super admins must enrol in two-factor authentication before they can do anything else',
      de: 'Super-Admins müssen die Zwei-Faktor-Authentifizierung einrichten, bevor sie etwas anderes tun können',
    },
  }),
});

declare module '../../platform/settings.ts' {
  interface KnownSettings extends SettingTypes<typeof securitySettings> {}
}
