import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the consultants module: HTTP status once, and what each tells a person in English and German. */
export const consultantError = defineErrors({
  'consultants.not_found': {
    status: 404,
    en: 'This consultant does not exist.',
    de: 'Diesen Berater gibt es nicht.',
  },
  'consultants.email_taken': {
    status: 409,
    en: 'Another consultant already uses {email}.',
    de: 'Ein anderer Berater verwendet bereits {email}.',
  },
  'consultants.not_deleted': {
    status: 409,
    en: 'This consultant is not in the trash.',
    de: 'Dieser Berater ist nicht im Papierkorb.',
  },
  'consultants.photo_invalid': {
    status: 400,
    en: 'The photo must be a live image of the media library ({id} is missing or not an image).',
    de: 'Das Foto muss ein vorhandenes Bild der Mediathek sein ({id} fehlt oder ist kein Bild).',
  },
});
