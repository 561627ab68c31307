import { defineErrors } from '../../platform/http/errors.ts';

/** The error codes of the media module: HTTP status once, and what each tells a person in English and German. */
export const mediaError = defineErrors({
  'media.not_found': {
    status: 404,
    en: 'This media item does not exist.',
    de: 'Dieses Medium existiert nicht.',
  },
  'media.type_not_allowed': {
    status: 415,
    en: 'This type of file is not allowed in the media library (its content decides, not its name).',
    de: 'Dieser Dateityp ist in der Mediathek nicht erlaubt (es zählt der Inhalt, nicht der Name).',
  },
  'media.too_large': {
    status: 413,
    en: 'The file is larger than the upload limit of {max_mb} MB.',
    de: 'Die Datei ist größer als die Upload-Grenze von {max_mb} MB.',
  },
  'media.file_missing': {
    status: 400,
    en: 'The upload holds no file (send it in the multipart field "file").',
    de: 'Der Upload enthält keine Datei (bitte im Multipart-Feld „file“ senden).',
  },
  'media.invalid_file': {
    status: 422,
    en: 'The file looks like {type} but cannot be read as one.',
    de: 'Die Datei sieht aus wie {type}, lässt sich aber nicht als solche lesen.',
  },
  'media.release_forbidden': {
    status: 403,
    en: 'Deleting this media item would change {count} record(s) you may not change; ask someone who may.',
    de: 'Das Löschen dieses Mediums würde {count} Eintrag/Einträge ändern, die Sie nicht ändern dürfen; bitten Sie jemanden mit dieser Berechtigung.',
  },
  'media.not_deleted': {
    status: 409,
    en: 'This media item is not in the trash.',
    de: 'Dieses Medium ist nicht im Papierkorb.',
  },
  'media.duplicate_live': {
    status: 409,
    en: 'The same file was uploaded again meanwhile ("{name}"): use that one, or delete it first.',
    de: 'Dieselbe Datei wurde inzwischen erneut hochgeladen („{name}“): verwenden Sie diese oder löschen Sie sie zuerst.',
  },
  'media.in_use': {
    status: 409,
    en: 'This media item is used in {count} place(s); delete it with confirm=true if you are sure.',
    de: 'Dieses Medium wird an {count} Stelle(n) verwendet; zum Löschen confirm=true angeben, wenn Sie sicher sind.',
  },
});
