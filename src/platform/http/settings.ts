import { defineSettings, setting, type SettingTypes } from '../settings.ts';

/** The settings of the HTTP layer. */
export const httpSettings = defineSettings({
  'security.cors_origins': setting<string[]>({
    value: [],
    data_type: 'array',
    category: 'security',
    description: {
      en: 'Origins (scheme://host[:port]) of front ends on other sites that may call the API from a browser, with their session; none by default',
      de: 'Origins (Schema://Host[:Port]) von Frontends auf anderen Sites, die die API aus dem Browser mit ihrer Sitzung aufrufen dürfen; standardmäßig keine',
    },
    validation_rules: {
      type: 'array',
      maxItems: 50,
      uniqueItems: true,
      items: { type: 'string', maxLength: 255, pattern: '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$' },
    },
  }),
});

declare module '../settings.ts' {
  interface KnownSettings extends SettingTypes<typeof httpSettings> {}
}
