import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the jobs module: HTTP status once, and what each tells a person in English and German. */
export const jobError = defineErrors({
  'jobs.not_failed': {
    status: 404,
    en: 'There is no failed job with this id in this queue.',
    de: 'In dieser Warteschlange gibt es keinen fehlgeschlagenen Auftrag mit dieser ID.',
  },
});
