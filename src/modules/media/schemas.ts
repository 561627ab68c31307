import Type, { type Static } from 'typebox';
import { pageQuery } from '../../platform/http/pagination.ts';
import { NullableString, NullableTimestamp, Timestamp, Uuid, Version } from '../../platform/http/schemas.ts';

// The schemas of the media API; every type of it is derived from them.

const ShortText = Type.String({ maxLength: 1000 });
/** Title, alt text or caption in both languages, each optional. */
export const TranslatedText = Type.Object(
  { en: Type.Optional(ShortText), de: Type.Optional(ShortText) },
  { additionalProperties: false },
);
export type Translated = Static<typeof TranslatedText>;
export const NullableTranslated = Type.Union([TranslatedText, Type.Null()]);

export const FOLDER_PATTERN = '^[A-Za-z0-9 _-]+(/[A-Za-z0-9 _-]+)*$';
export const Folder = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: FOLDER_PATTERN,
  description: 'A label such as "team/portraits" (letters, digits, space, _ and -, separated by /)',
});
export const Tag = Type.String({ minLength: 1, maxLength: 50 });
const Tags = Type.Array(Tag, { maxItems: 30 });
export const Kind = Type.Union([
  Type.Literal('image'),
  Type.Literal('audio'),
  Type.Literal('video'),
  Type.Literal('document'),
]);
const NullableInteger = (options: Parameters<typeof Type.Integer>[0] = {}) =>
  Type.Union([Type.Integer(options), Type.Null()]);

export const MediaItem = Type.Object({
  id: Uuid,
  filename: Type.String({ description: 'The name we stored it under (<sha256>.<ext>)' }),
  original_filename: Type.String({
    description: 'The name it was uploaded with; shown, never used as a path',
  }),
  mime_type: Type.String({ description: 'Detected from the bytes' }),
  kind: Kind,
  file_size: Type.Integer(),
  file_hash: NullableString,
  width: NullableInteger(),
  height: NullableInteger(),
  duration: NullableInteger({ description: 'Seconds (WAV, MP4, M4A); null where not read' }),
  title: NullableTranslated,
  alt_text: NullableTranslated,
  caption: NullableTranslated,
  tags: Type.Array(Type.String()),
  folder: NullableString,
  url: Type.String({ description: 'Where the file is served (public)' }),
  variants: Type.Array(
    Type.Object({ width: Type.Integer(), height: Type.Integer(), size: Type.Integer(), url: Type.String() }),
    { description: 'WebP copies, made by a background job shortly after the upload' },
  ),
  uploaded_by: Uuid,
  created_at: Timestamp,
  updated_at: Timestamp,
  deleted_at: NullableTimestamp,
  version: Type.Integer(),
});
/** A media item as the API answers it. */
export type MediaView = Static<typeof MediaItem>;

/**
 * One place where an item is used: which record (of which kind) and where in it. Every module whose records refer
 * to media answers for its own kind through the where-used registry (app.media.registerUsage).
 */
export const Usage = Type.Object({
  kind: Type.String({
    description: 'What kind of record uses the item: page, consultant (more as modules register theirs)',
  }),
  id: Type.String({
    format: 'uuid',
    description: 'The record’s id, e.g. GET /api/v1/pages/{id} for kind page',
  }),
  label: Type.String({
    description: 'What people call the record: a page’s title (English), a consultant’s name',
  }),
  status: Type.String({
    description: 'The record’s state as its module names it: a page’s status, a consultant live or deleted',
  }),
  where: Type.String({
    description: 'Where in the record: a page’s og_image, content or blocks[i]; a consultant’s photo_url',
  }),
  detail: Type.Union([Type.String(), Type.Null()], {
    description: 'More about that place, e.g. the type of the block (hero, gallery)',
  }),
});
export type MediaUsage = Static<typeof Usage>;

export const Uploaded = Type.Object({
  ...MediaItem.properties,
  duplicate: Type.Boolean({ description: 'true: the same bytes were already in the library (this item)' }),
});
export const WithUsage = Type.Object({ ...MediaItem.properties, used_in: Type.Array(Usage) });
export type MediaWithUsage = Static<typeof WithUsage>;

export const MediaListQuery = Type.Object({
  type: Type.Optional(Kind),
  mime_type: Type.Optional(Type.String({ maxLength: 100 })),
  folder: Type.Optional(Type.String({ maxLength: 200 })),
  tag: Type.Optional(Tag),
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'Part of the file name, title, alt text or caption',
    }),
  ),
  deleted: Type.Optional(
    Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
      default: 'exclude',
    }),
  ),
  ...pageQuery({ default: 24, max: 100 }),
});
export type MediaListQuery = Static<typeof MediaListQuery>;

export const MediaPatch = Type.Object(
  {
    version: Version,
    title: Type.Optional(NullableTranslated),
    alt_text: Type.Optional(NullableTranslated),
    caption: Type.Optional(NullableTranslated),
    tags: Type.Optional(Tags),
    folder: Type.Optional(Type.Union([Folder, Type.Null()])),
    original_filename: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type MediaPatch = Static<typeof MediaPatch>;
/** The metadata an upload may carry beside its file (multipart text fields). */
export type MediaMeta = Omit<MediaPatch, 'version' | 'original_filename'>;

export const MediaDeleteQuery = Type.Object({
  confirm: Type.Optional(Type.Boolean({ default: false })),
  version: Type.Optional(Version),
});

export const VariantParams = Type.Object({
  id: Uuid,
  width: Type.Integer({ minimum: 1, maximum: 10_000 }),
});

/** The multipart form of an upload, for the API document (the route reads the parts itself, see routes.ts). */
export const UploadForm = Type.Object(
  {
    file: Type.String({ format: 'binary', description: 'The file; its type is detected from the bytes' }),
    title: Type.Optional(Type.String({ maxLength: 10_000, description: 'JSON {"en","de"}' })),
    alt_text: Type.Optional(Type.String({ maxLength: 10_000, description: 'JSON {"en","de"}' })),
    caption: Type.Optional(Type.String({ maxLength: 10_000, description: 'JSON {"en","de"}' })),
    folder: Type.Optional(Type.String({ maxLength: 200, pattern: FOLDER_PATTERN })),
    tags: Type.Optional(Type.String({ description: 'Comma-separated, at most 30 of up to 50 characters' })),
  },
  { additionalProperties: false },
);
