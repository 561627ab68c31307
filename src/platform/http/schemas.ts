import Type, { type Static } from 'typebox';

export const ErrorDetailSchema = Type.Object({
  field: Type.Optional(Type.String()),
  code: Type.String(),
  message: Type.String(),
});

export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. pages.slug_taken' }),
      message: Type.String({ description: "A sentence for people, in the request's language (en or de)" }),
      details: Type.Array(ErrorDetailSchema),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every 4xx and 5xx answer has this shape' },
);

/** Response schemas for the error statuses a route can answer with. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorResponse')]));
}

/**
 * The success answers of a route that sends a file rather than JSON: the bytes (their type in Content-Type), and
 * 304 for a conditional request whose ETag still matches. For the document only: a file is never serialised.
 */
export function fileResponses(description: string): Record<number, unknown> {
  return {
    200: {
      description,
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    304: { description: 'Not modified: the ETag sent in If-None-Match is still current', type: 'null' },
  };
}

// Primitives every module's schemas.ts builds on: one definition each, so the API says the same thing the same
// way everywhere. Types come from them with Static<typeof ...>.

export const Uuid = Type.String({ format: 'uuid' });
/** `:id` path parameters. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** The `version` a change sends (optimistic locking). */
export const Version = Type.Integer({
  minimum: 1,
  description: 'The version you read; a stale one answers 409',
});
/** An instant as ISO 8601 in UTC. */
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * A bilingual text as an answer carries it: `{"en": "...", "de": "..."}`, either may be missing. Inputs say what
 * they require with `LocalizedTextInput`.
 */
export const LocalizedText = Type.Object({
  en: Type.Optional(Type.String()),
  de: Type.Optional(Type.String()),
});
export type LocalizedText = Static<typeof LocalizedText>;

/** A bilingual text as an input: English required, German optional (an untranslated German is a fallback). */
export const LocalizedTextInput = (maxLength = 10_000) =>
  Type.Object(
    {
      en: Type.String({ minLength: 1, maxLength }),
      de: Type.Optional(Type.String({ maxLength })),
    },
    { additionalProperties: false },
  );

/** A Date (or a timestamp string from the database) as ISO 8601, null kept. */
export function iso(value: Date | string): string;
export function iso(value: Date | string | null): string | null;
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
