import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the public module: HTTP status once, and what each tells a person in English and German. */
export const searchError = defineErrors({
  'search.invalid_query': {
    status: 400,
    en: 'Enter a search text of 1 to {max} characters.',
    de: 'Bitte einen Suchtext mit 1 bis {max} Zeichen eingeben.',
  },
});
