import type { Translated } from '../platform/i18n/index.ts';
import { defineSettings, setting, type SettingTypes } from '../platform/settings.ts';

const translated = (max: number) => ({
  type: 'object',
  properties: { en: { type: 'string', maxLength: max }, de: { type: 'string', maxLength: max } },
  required: ['en', 'de'],
  additionalProperties: false,
});

/** A footer link: its label in both languages and where it leads (a site path, an http(s) URL or mailto:). */
export interface FooterLink {
  label: Translated;
  href: string;
}

/** The website's own settings: which page is the home page, and what the footer says. */
export const websiteSettings = defineSettings({
  home_page: setting<string>({
    value: 'home',
    data_type: 'string',
    category: 'website',
    description: {
      en: 'Slug of the page shown as the home page (/en/, /de/)',
      de: 'Slug der Seite, die als Startseite erscheint (/en/, /de/)',
    },
    is_public: true,
    validation_rules: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  }),
  footer_text: setting<Translated>({
    value: {
      en: 'voltAIc Systems: AI consulting for the German Mittelstand.',
      de: 'voltAIc Systems: KI-Beratung für den deutschen Mittelstand.',
    },
    data_type: 'json',
    category: 'website',
    description: { en: 'Text in the footer of every page', de: 'Text in der Fußzeile jeder Seite' },
    is_public: true,
    validation_rules: translated(500),
  }),
  footer_links: setting<FooterLink[]>({
    value: [],
    data_type: 'array',
    category: 'website',
    description: {
      en: 'Links in the footer (imprint, privacy): label in English and German, and a path or URL',
      de: 'Links in der Fußzeile (Impressum, Datenschutz): Beschriftung auf Englisch und Deutsch, Pfad oder URL',
    },
    is_public: true,
    validation_rules: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          label: translated(100),
          href: { type: 'string', minLength: 1, maxLength: 500, pattern: '^(/|https?://|mailto:)' },
        },
        required: ['label', 'href'],
        additionalProperties: false,
      },
    },
  }),
});

declare module '../platform/settings.ts' {
  interface KnownSettings extends SettingTypes<typeof websiteSettings> {}
}
