// The panel's API types, generated from the server's OpenAPI document (test/openapi.snapshot.json, which a test
// keeps equal to what the server serves) into schema.gen.ts by `npm run types:admin`. `npm run check` generates
// it afresh and type-checks the panel against it, so a change of the server's schemas that the panel does not
// follow fails the check.
import type { components, operations } from './schema.gen.ts';

export type Schemas = components['schemas'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type User = Schemas['User'];

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON answer of an operation for a status (200 by default). */
export type Answer<Op extends keyof operations, Status extends number = 200> = operations[Op] extends {
  responses: infer R;
}
  ? Status extends keyof R
    ? Json<R[Status]>
    : never
  : never;

/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody?: infer B;
}
  ? Json<NonNullable<B>>
  : never;

/** The query parameters an operation takes (all optional: the server fills in its defaults). */
export type QueryOf<Op extends keyof operations> = operations[Op] extends {
  parameters: { query?: infer Q };
}
  ? Partial<NonNullable<Q>>
  : never;

export type Me = Answer<'getMe'>;
