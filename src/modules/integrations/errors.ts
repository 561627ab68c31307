import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the integrations module: HTTP status once, and what each tells a person in English and German. */
export const integrationError = defineErrors({
  'integrations.log_not_found': {
    status: 404,
    en: 'There is no such integration log entry.',
    de: 'Diesen Eintrag im Integrationsprotokoll gibt es nicht.',
  },
  'integrations.not_failed': {
    status: 409,
    en: 'This call succeeded; there is nothing to retry.',
    de: 'Dieser Aufruf war erfolgreich; es gibt nichts zu wiederholen.',
  },
  'integrations.not_retryable': {
    status: 422,
    en: 'This operation cannot be run again from the log: repeating it is not safe, or its stored input is incomplete.',
    de: 'Dieser Vorgang kann nicht aus dem Protokoll wiederholt werden: eine Wiederholung ist nicht sicher, oder die gespeicherten Angaben sind unvollständig.',
  },
  'integrations.not_configured': {
    status: 409,
    en: 'The {integration} integration is not configured: {reason}',
    de: 'Die Integration {integration} ist nicht eingerichtet: {reason}',
  },
  'integrations.call_failed': {
    status: 502,
    en: 'The retry failed: {reason} (its calls are logged under correlation id {correlation_id}).',
    de: 'Die Wiederholung ist fehlgeschlagen: {reason} (die Aufrufe sind unter der Korrelations-ID {correlation_id} protokolliert).',
  },
});
