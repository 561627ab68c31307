import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the pages module: HTTP status once, and what each tells a person in English and German. */
export const pageError = defineErrors({
  'pages.not_found': {
    status: 404,
    en: 'There is no such page.',
    de: 'Diese Seite gibt es nicht.',
  },
  'pages.slug_taken': {
    status: 409,
    en: 'Another page already uses the slug "{slug}".',
    de: 'Eine andere Seite verwendet den Slug „{slug}“ bereits.',
  },
  'pages.slug_reserved': {
    status: 400,
    en: 'The slug "{slug}" is reserved for the site itself.',
    de: 'Der Slug „{slug}“ ist für die Website selbst reserviert.',
  },
  'pages.parent_not_found': {
    status: 400,
    en: 'The parent page does not exist or is deleted.',
    de: 'Die übergeordnete Seite gibt es nicht oder sie ist gelöscht.',
  },
  'pages.cycle': {
    status: 400,
    en: 'A page cannot be placed under itself or one of its own subpages.',
    de: 'Eine Seite kann nicht unter sich selbst oder eine ihrer Unterseiten gestellt werden.',
  },
  'pages.has_children': {
    status: 409,
    en: 'This page still has subpages: move or delete them first.',
    de: 'Diese Seite hat noch Unterseiten: verschieben oder löschen Sie diese zuerst.',
  },
  'pages.parent_deleted': {
    status: 409,
    en: 'The parent page is deleted: restore it first.',
    de: 'Die übergeordnete Seite ist gelöscht: stellen Sie sie zuerst wieder her.',
  },
  'pages.not_deleted': {
    status: 409,
    en: 'This page is not in the trash.',
    de: 'Diese Seite ist nicht im Papierkorb.',
  },
  'pages.purge_super_admin_only': {
    status: 403,
    en: 'Only super admins can delete a page for good.',
    de: 'Nur Super-Admins können eine Seite endgültig löschen.',
  },
  'pages.invalid_block': {
    status: 400,
    en: 'Block {index} is not valid: {summary}',
    de: 'Block {index} ist ungültig: {summary}',
  },
  'pages.media_not_found': {
    status: 400,
    en: 'Block {index} refers to a media file that does not exist ({field}).',
    de: 'Block {index} verweist auf eine Mediendatei, die es nicht gibt ({field}).',
  },
  'pages.invalid_transition': {
    status: 409,
    en: 'A page that is {status} cannot be {action}.',
    de: 'Eine Seite im Status „{status}“ erlaubt die Aktion „{action}“ nicht.',
  },
  'pages.schedule_in_past': {
    status: 400,
    en: 'The publication time must lie in the future.',
    de: 'Der Veröffentlichungszeitpunkt muss in der Zukunft liegen.',
  },
  'pages.history_not_found': {
    status: 404,
    en: 'This page has no such history entry.',
    de: 'Diesen Eintrag gibt es in der Historie dieser Seite nicht.',
  },
  'pages.history_empty': {
    status: 409,
    en: 'This history entry holds no state of the page to restore.',
    de: 'Dieser Historieneintrag enthält keinen Stand der Seite, der sich wiederherstellen ließe.',
  },
});
