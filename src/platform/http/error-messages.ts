import type { Translated } from '../i18n/index.ts';

/**
 * Every error code the API answers with, and what it tells a person in each language. Modules add their
 * codes here so that a code without a German text cannot exist.
 */
export const errorMessages = {
  'validation.failed': {
    en: 'The request is not valid: {summary}',
    de: 'Die Anfrage ist ungültig: {summary}',
  },
  'request.malformed': {
    en: 'The request could not be read: {summary}',
    de: 'Die Anfrage konnte nicht gelesen werden: {summary}',
  },
  'request.too_large': {
    en: 'The request body is too large.',
    de: 'Der Inhalt der Anfrage ist zu groß.',
  },
  'request.unsupported_media_type': {
    en: 'This content type is not supported.',
    de: 'Dieser Inhaltstyp wird nicht unterstützt.',
  },
  not_found: {
    en: 'There is nothing at {method} {url}.',
    de: 'Unter {method} {url} gibt es nichts.',
  },
  'method.not_allowed': {
    en: 'This method is not allowed here.',
    de: 'Diese Methode ist hier nicht erlaubt.',
  },
  'rate.limited': {
    en: 'Too many requests; try again later.',
    de: 'Zu viele Anfragen; bitte später erneut versuchen.',
  },
  'conflict.stale_version': {
    en: 'Someone else changed this in the meantime; reload it and apply your change again.',
    de: 'Jemand anderes hat dies inzwischen geändert; bitte neu laden und die Änderung erneut vornehmen.',
  },
  'conflict.duplicate': {
    en: 'This conflicts with an existing record.',
    de: 'Dies kollidiert mit einem bestehenden Eintrag.',
  },
  'database.unavailable': {
    en: 'The database is not reachable.',
    de: 'Die Datenbank ist nicht erreichbar.',
  },
  'server.unavailable': {
    en: 'The server is shutting down or overloaded; try again shortly.',
    de: 'Der Server fährt herunter oder ist überlastet; bitte gleich erneut versuchen.',
  },
  internal: {
    en: 'Something went wrong on our side. The request id helps us find it: {requestId}',
    de: 'Bei uns ist etwas schiefgegangen. Die Anfrage-ID hilft uns bei der Suche: {requestId}',
  },
  'setup.admin_email_taken': {
    en: 'There is no active super admin, and {email} (ADMIN_EMAIL) belongs to another user. Set ADMIN_EMAIL to a free address, or run "magnetiq create-admin".',
    de: 'Es gibt keinen aktiven Super-Admin, und {email} (ADMIN_EMAIL) gehört einem anderen Benutzer. Setzen Sie ADMIN_EMAIL auf eine freie Adresse oder führen Sie "magnetiq create-admin" aus.',
  },
  'migrations.changed': {
    en: 'Migration {version} ({name}) was changed after it was applied. Restore the file and put the change in a new migration.',
    de: 'Migration {version} ({name}) wurde nach dem Einspielen geändert. Stellen Sie die Datei wieder her und legen Sie die Änderung in eine neue Migration.',
  },
  'migrations.missing': {
    en: 'Migration {version} ({name}) was applied to this database but its file is missing.',
    de: 'Migration {version} ({name}) wurde in diese Datenbank eingespielt, aber ihre Datei fehlt.',
  },
} satisfies Record<string, Translated>;

export type ErrorCode = keyof typeof errorMessages;
