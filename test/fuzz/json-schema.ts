import fc from 'fast-check';

/**
 * A small generator of values that satisfy a JSON Schema (the subset the OpenAPI document uses): $ref, allOf,
 * anyOf/oneOf (oneOf's exclusivity is not enforced), enum, const, type (also as a list), string formats (uuid,
 * email, date-time, date, uri), pattern, minLength/maxLength, integer and number bounds, arrays (minItems,
 * maxItems, uniqueItems), objects (properties, required, additionalProperties).
 */
export type JsonSchema = Record<string, unknown>;

export interface SchemaContext {
  /** The document `$ref`s point into. */
  readonly root: unknown;
  /** Values worth trying for a field of this name (ids of rows that exist, tokens that verify, ...). */
  readonly known: (field: string) => readonly unknown[] | undefined;
  /** Every optional property too (a body that mutations then spoil field by field). */
  readonly allProperties?: boolean;
  /** Whether a known value fits the field's schema (known values that do not are left out). */
  readonly suits?: (schema: JsonSchema, value: unknown) => boolean;
}

const MAX_DEPTH = 8;
/** Good strings stay short: the huge ones are a mutation of their own. */
const MAX_GOOD_STRING = 40;
const MAX_GOOD_ITEMS = 3;

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows `$ref`s (JSON pointers into the document). */
export function resolve(schema: JsonSchema, root: unknown): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 20; hops++) {
    const ref = current['$ref'];
    if (!ref.startsWith('#/')) throw new Error(`fuzz: cannot follow $ref ${ref}`);
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isSchema(target) ? target[key] : undefined;
    }
    if (!isSchema(target)) throw new Error(`fuzz: $ref ${ref} points at nothing`);
    current = { ...target, ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== '$ref')) };
  }
  return current;
}

function numberOf(schema: JsonSchema, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function schemas(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

/** allOf of objects as one object schema (properties and required merged). */
function mergeAllOf(schema: JsonSchema, root: unknown): JsonSchema {
  const parts = schemas(schema['allOf']).map((s) => resolve(s, root));
  const merged: JsonSchema = { ...schema };
  delete merged['allOf'];
  const properties: Record<string, unknown> = isSchema(schema['properties'])
    ? { ...schema['properties'] }
    : {};
  const required = new Set<string>(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k === 'properties' && isSchema(v)) Object.assign(properties, v);
      else if (k === 'required' && Array.isArray(v)) for (const r of v) required.add(String(r));
      else if (!(k in merged)) merged[k] = v;
    }
  }
  if (Object.keys(properties).length > 0) merged['properties'] = properties;
  if (required.size > 0) merged['required'] = [...required];
  return merged;
}

/** The code points of a string: how Ajv counts a string's length. */
const codePoints = (value: string): string[] => Array.from(value);

/** Cuts or pads to the schema's length in code points. */
function fitLength(value: string, min: number, max: number): string {
  const points = codePoints(value);
  if (points.length > max) return points.slice(0, max).join('');
  return points.length < min ? value + 'a'.repeat(min - points.length) : value;
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = numberOf(schema, 'minLength') ?? 0;
  const max = numberOf(schema, 'maxLength') ?? Math.max(min, MAX_GOOD_STRING);
  const fits = (s: string) => codePoints(s).length >= min && codePoints(s).length <= max;
  const format = schema['format'];
  const pattern = schema['pattern'];
  if (typeof pattern !== 'string') return formatted(format, min, max, fits);
  const regex = new RegExp(pattern);
  const matching = fc.stringMatching(regex, { size: 'small' }).filter(fits);
  if (typeof format !== 'string') return matching;
  // Both: a value of the format when it also matches the pattern, else one of the pattern.
  return formatted(format, min, max, fits).chain((s) => (regex.test(s) ? fc.constant(s) : matching));
}

function formatted(
  format: unknown,
  min: number,
  max: number,
  fits: (s: string) => boolean,
): fc.Arbitrary<string> {
  switch (format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc
        .oneof(
          fc.emailAddress(),
          fc.stringMatching(/^[a-z][a-z0-9.]{0,15}@[a-z]{1,10}\.(com|de|org)$/),
          fc.constant('erika@example.com'),
        )
        .filter((s) => fits(s) && !s.includes('..'));
    case 'date-time':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10));
    case 'uri':
      return fc.webUrl({ validSchemes: ['https'] }).filter(fits);
    default:
      break;
  }
  const ascii = fc.string({
    minLength: min,
    maxLength: Math.min(max, MAX_GOOD_STRING),
    unit: 'grapheme-ascii',
  });
  const unicode = fc.string({ minLength: min, maxLength: Math.min(max, MAX_GOOD_STRING), unit: 'grapheme' });
  return fc
    .oneof({ arbitrary: ascii, weight: 3 }, { arbitrary: unicode, weight: 1 })
    .map((s) => fitLength(s, min, max));
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  let min = numberOf(schema, 'minimum');
  let max = numberOf(schema, 'maximum');
  const exclusiveMin = numberOf(schema, 'exclusiveMinimum');
  const exclusiveMax = numberOf(schema, 'exclusiveMaximum');
  if (exclusiveMin !== undefined) min = integer ? Math.floor(exclusiveMin) + 1 : exclusiveMin + 1e-6;
  if (exclusiveMax !== undefined) max = integer ? Math.ceil(exclusiveMax) - 1 : exclusiveMax - 1e-6;
  // Unbounded sides stay near the other bound: realistic values reach deeper than the extremes.
  const lo = min ?? (max !== undefined ? max - 1000 : -1000);
  const hi = max ?? lo + 1000;
  if (integer) return fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) });
  return fc.oneof(
    fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }),
    fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }),
  );
}

function objectArbitrary(schema: JsonSchema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (isSchema(property)) model[name] = fieldArbitrary(name, property, ctx, depth + 1);
  }
  const names = Object.keys(model);
  if (names.length === 0) {
    const extra = schema['additionalProperties'];
    if (isSchema(extra) && Object.keys(extra).length > 0) {
      return fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), arbitraryOf(extra, ctx, depth + 1), {
        maxKeys: MAX_GOOD_ITEMS,
      });
    }
    return fc.constant({});
  }
  const requiredKeys = ctx.allProperties ? names : names.filter((n) => required.has(n));
  return fc.record(model, { requiredKeys });
}

/** A field's value: the schema's, or (more often) one of the values known for its name. */
function fieldArbitrary(
  name: string,
  schema: JsonSchema,
  ctx: SchemaContext,
  depth: number,
): fc.Arbitrary<unknown> {
  const generated = arbitraryOf(schema, ctx, depth);
  const known = (ctx.known(name) ?? []).filter((v) => ctx.suits?.(schema, v) ?? true);
  if (known.length === 0) return generated;
  return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 5 }, { arbitrary: generated, weight: 1 });
}

/** An arbitrary of values valid under `schema`. */
export function arbitraryOf(schema: JsonSchema, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  let s = resolve(schema, ctx.root);
  if (Array.isArray(s['allOf'])) s = mergeAllOf(s, ctx.root);
  if ('const' in s) return fc.constant(s['const']);
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return fc.constantFrom(...(s['enum'] as unknown[]));
  const branches = [...schemas(s['anyOf']), ...schemas(s['oneOf'])];
  if (branches.length > 0) {
    const rest = { ...s };
    delete rest['anyOf'];
    delete rest['oneOf'];
    return fc.oneof(...branches.map((b) => arbitraryOf({ ...rest, ...b }, ctx, depth + 1)));
  }
  const type = s['type'];
  if (Array.isArray(type)) {
    return fc.oneof(...type.map((t) => arbitraryOf({ ...s, type: t }, ctx, depth + 1)));
  }
  switch (type) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
      return numberArbitrary(s, true);
    case 'number':
      return numberArbitrary(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = isSchema(s['items'])
        ? arbitraryOf(s['items'], ctx, depth + 1)
        : fc.jsonValue({ maxDepth: 1 });
      const minLength = numberOf(s, 'minItems') ?? 0;
      const maxLength = Math.max(
        minLength,
        Math.min(numberOf(s, 'maxItems') ?? MAX_GOOD_ITEMS, minLength + MAX_GOOD_ITEMS),
      );
      if (s['uniqueItems'] === true) {
        return fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
      }
      return fc.array(items, { minLength, maxLength });
    }
    case 'object':
      return objectArbitrary(s, ctx, depth);
    default:
      if (isSchema(s['properties'])) return objectArbitrary(s, ctx, depth);
      // No type at all ({}: any JSON value).
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every field name that some object of the schema requires. */
export function requiredNames(
  schema: JsonSchema,
  root: unknown,
  depth = 0,
  into = new Set<string>(),
): Set<string> {
  if (depth > MAX_DEPTH) return into;
  const s = resolve(schema, root);
  if (Array.isArray(s['required'])) for (const r of s['required']) into.add(String(r));
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const b of schemas(s[key])) requiredNames(b, root, depth + 1, into);
  if (isSchema(s['items'])) requiredNames(s['items'], root, depth + 1, into);
  if (isSchema(s['properties'])) {
    for (const p of Object.values(s['properties'])) if (isSchema(p)) requiredNames(p, root, depth + 1, into);
  }
  return into;
}
