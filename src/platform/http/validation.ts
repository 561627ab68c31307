import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const common: Options = { allErrors: true, useDefaults: true, strict: false };

// Query strings, params and headers arrive as text: "?page=2" must become 2.
const coercing = addFormats(new Ajv({ ...common, coerceTypes: 'array', removeAdditional: true }));
// A JSON body says what it means: "5" where a number belongs is a wrong type, not a number.
const exact = addFormats(new Ajv({ ...common, coerceTypes: false }));

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? exact : coercing).compile(schema as object);

export function addSharedSchema(schema: object): void {
  coercing.addSchema(schema);
  exact.addSchema(schema);
}
