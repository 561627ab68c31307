import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// discriminator: a `oneOf` with `discriminator: {propertyName}` validates against the branch the tag names only.
const common: Options = { allErrors: true, useDefaults: true, strict: false, discriminator: true };

/** The one Ajv set-up of the product (formats included); modules that validate JSON themselves use it. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats(ajv);
  return ajv;
}

/**
 * Two validators per app: query strings, params and headers arrive as text ("?page=2" must become 2); a JSON
 * body says what it means ("5" where a number belongs is a wrong type, not a number).
 */
export function createValidatorCompiler(sharedSchemas: object[]): FastifySchemaCompiler<unknown> {
  const coercing = createAjv({ coerceTypes: 'array', removeAdditional: true });
  const exact = createAjv({ coerceTypes: false });
  for (const schema of sharedSchemas) {
    coercing.addSchema(schema);
    exact.addSchema(schema);
  }
  return ({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema as object);
}

/**
 * Fastify's hook for building validators: called with the shared schemas of each plugin context (everything
 * `app.addSchema` added there), so a module may add its own shared schemas and still get our two validators.
 */
export const compilersFactory = {
  // Fastify types this as @fastify/ajv-compiler's factory, whose extra options we do not use.
  buildValidator: ((externalSchemas: Record<string, object> = {}) =>
    createValidatorCompiler(Object.values(externalSchemas))) as unknown as NonNullable<
    NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
  >['buildValidator'],
};

/** What a field holding such text is told (validation details are English, like Ajv's). */
export const UNSTORABLE_TEXT = 'must not contain NUL characters or unpaired surrogates';

/** Whether PostgreSQL can store `text` as it is: no NUL, and no half of a surrogate pair (not UTF-8). */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/**
 * The path (`title.en`, `blocks.2.text`, `tags.0`) of the first string in `value` the database could not store,
 * or of the object holding such a key ('' for the top level), or undefined. Walks without recursion, so hostile nesting cannot overflow the stack.
 */
export function unstorableTextAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [current, path] = item;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return path;
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        // A bad key is reported at the object holding it: the key itself is the hostile text.
        if (!isStorableText(key)) return path;
        const childPath = path ? `${path}.${key}` : key;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}
