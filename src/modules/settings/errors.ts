import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the settings module: HTTP status once, and what each tells a person in English and German. */
export const settingError = defineErrors({
  'settings.not_found': {
    status: 404,
    en: 'There is no setting named {key}.',
    de: 'Eine Einstellung namens {key} gibt es nicht.',
  },
  'settings.invalid_value': {
    status: 400,
    en: 'This is not a valid value for {key}: {summary}',
    de: 'Dies ist kein gültiger Wert für {key}: {summary}',
  },
  'settings.secret_unreadable': {
    status: 500,
    en: 'The stored value of {key} cannot be decrypted (was APP_SECRET changed?). Set the setting again.',
    de: 'Der gespeicherte Wert von {key} lässt sich nicht entschlüsseln (wurde APP_SECRET geändert?). Setzen Sie die Einstellung erneut.',
  },
});
