import { defineSettings, setting, type SettingTypes } from '../../platform/settings.ts';
import type { Translated } from '../../platform/i18n/index.ts';

/** The settings of the site as a whole: type, default, rules and what each does in English and German. */
export const siteSettings = defineSettings({
  site_title: setting<Translated>({
    value: { en: 'voltAIc Systems', de: 'voltAIc Systems' },
    data_type: 'json',
    category: 'general',
    description: { en: 'Site title', de: 'Titel der Website' },
    is_public: true,
    validation_rules: {
      type: 'object',
      properties: {
        en: { type: 'string', minLength: 1, maxLength: 200 },
        de: { type: 'string', minLength: 1, maxLength: 200 },
      },
      required: ['en', 'de'],
      additionalProperties: false,
    },
  }),
  contact_email: setting<string>({
    value: 'info@voltaic.systems',
    data_type: 'string',
    category: 'general',
    description: { en: 'Primary contact email', de: 'Wichtigste Kontakt-E-Mail-Adresse' },
    is_public: true,
    validation_rules: { type: 'string', format: 'email', maxLength: 255 },
  }),
  timezone: setting<string>({
    value: 'Europe/Berlin',
    data_type: 'string',
    category: 'general',
    description: { en: 'Default timezone', de: 'Standard-Zeitzone' },
    is_public: true,
    validation_rules: { type: 'string', format: 'time-zone' },
  }),
  languages: setting<('en' | 'de')[]>({
    value: ['en', 'de'],
    data_type: 'array',
    category: 'localization',
    description: { en: 'Supported languages', de: 'Unterstützte Sprachen' },
    is_public: true,
    validation_rules: {
      type: 'array',
      items: { enum: ['en', 'de'] },
      minItems: 1,
      uniqueItems: true,
    },
  }),
});

declare module '../../platform/settings.ts' {
  interface KnownSettings extends SettingTypes<typeof siteSettings> {}
}
