import Type from 'typebox';

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
