import { defineSettings, setting, type SettingTypes } from '../settings.ts';

/** The settings of the mailer: type, default, rules and what each does in English and German. */
export const mailSettings = defineSettings({
  'mail.from': setting<string>({
    value: 'no-reply@voltaic.systems',
    data_type: 'string',
    category: 'mail',
    description: { en: 'Sender address of outgoing mail', de: 'Absenderadresse ausgehender E-Mails' },
    validation_rules: { type: 'string', format: 'email', maxLength: 255 },
  }),
  'mail.from_name': setting<string>({
    value: 'voltAIc Systems',
    data_type: 'string',
    category: 'mail',
    description: { en: 'Sender name of outgoing mail', de: 'Absendername ausgehender E-Mails' },
    validation_rules: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^<>"\\r\\n]+$' },
  }),
});

declare module '../settings.ts' {
  interface KnownSettings extends SettingTypes<typeof mailSettings> {}
}
