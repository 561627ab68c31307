import { defineSettings, setting, rules, type SettingTypes } from '../../platform/settings.ts';

/** The settings of the media library: type, default, rules and what each does in English and German. */
export const mediaSettings = defineSettings({
  'media.max_upload_mb': setting<number>({
    value: 25,
    data_type: 'number',
    category: 'media',
    description: {
      en: 'Largest file that can be uploaded to the media library (MB)',
      de: 'Größte Datei, die in die Mediathek hochgeladen werden kann (MB)',
    },
    validation_rules: rules.integer(1, 1024),
  }),
});

declare module '../../platform/settings.ts' {
  interface KnownSettings extends SettingTypes<typeof mediaSettings> {}
}
