import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { arbitraryOf, requiredNames, type JsonSchema, type SchemaContext } from './json-schema.ts';
import { resourceOf, type Operation, type Parameter } from './operations.ts';
import {
  BROKEN_PNG,
  DEEP,
  DEEP_ARRAYS,
  encodeForUrl,
  getAt,
  HTML,
  HUGE,
  HUGE_IN_URL,
  jsonType,
  malformedJson,
  multipartBody,
  nulText,
  oddUnicode,
  paths,
  percentBytes,
  setAt,
  SVG,
  trickyText,
  wrongTypeFor,
  type JsonPath,
  type Part,
} from './values.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** What the fuzz test knows about the data it made: values that reach past "not found". */
export interface World {
  /** Values of a path parameter, by `resource/name` (`pages/id`, `settings/key`, `variants/width`). */
  pathValues: (resource: string, name: string) => readonly string[];
  /** Values worth trying for a body field or query parameter of this name. */
  fieldValues: (name: string) => readonly unknown[] | undefined;
  /** Files the upload route takes. */
  files: readonly { name: string; type: string; data: Buffer }[];
  /** The OpenAPI document ($refs point into it). */
  doc: unknown;
}

/** One request to send. */
export interface FuzzInput {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

interface Body {
  payload: string | Buffer;
  contentType?: string;
}

interface Parts {
  /** Encoded path parameter values. */
  path: Record<string, string>;
  /** Query parameters, encoded, in order (a name may repeat). */
  query: [string, string][];
  headers: Record<string, string>;
  body: Body | undefined;
  method?: string;
  /** Rewrites the path after the parameters are in. */
  mangle?: (path: string) => string;
}

/** Whether a known value suits a field's schema (a date where a date-time belongs does not). */
const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv);
const validators = new WeakMap<JsonSchema, ValidateFunction | null>();
function suits(schema: JsonSchema, value: unknown): boolean {
  let validate = validators.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch {
      validate = null;
    }
    validators.set(schema, validate);
  }
  return validate ? validate(value) : true;
}

function context(world: World, allProperties = false): SchemaContext {
  return { root: world.doc, known: world.fieldValues, allProperties, suits };
}

/** Text for a URL or header: a value as the query string or path would carry it. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function params(op: Operation, where: Parameter['in']): Parameter[] {
  return op.parameters.filter((p) => p.in === where);
}

/** A value of one parameter: a known one (an id of a row that exists) or one its schema allows. */
function parameterValue(op: Operation, p: Parameter, world: World): fc.Arbitrary<unknown> {
  const generated = arbitraryOf(p.schema, context(world));
  const known =
    p.in === 'path'
      ? world.pathValues(resourceOf(op.path, p.name), p.name)
      : (world.fieldValues(p.name) ?? []).filter((v) => suits(p.schema, v));
  if (known.length === 0) return generated;
  return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: generated, weight: 1 });
}

function goodPath(op: Operation, world: World): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const p of params(op, 'path')) {
    model[p.name] = parameterValue(op, p, world).map((v) => encodeForUrl(asText(v)));
  }
  return fc.record(model);
}

function goodQuery(op: Operation, world: World): fc.Arbitrary<[string, string][]> {
  const each = params(op, 'query').map((p) => {
    const value = parameterValue(op, p, world).map((v): [string, string][] =>
      (Array.isArray(v) ? v : [v]).map((item) => [encodeURIComponent(p.name), encodeForUrl(asText(item))]),
    );
    return p.required ? value : fc.option(value, { nil: [] as [string, string][], freq: 2 });
  });
  return fc.tuple(...each).map((lists) => lists.flat());
}

const headerSafe = (s: string) => s.replaceAll(/[^\x20-\x7e]/g, 'x');

function goodHeaders(op: Operation, world: World): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const p of params(op, 'header')) {
    model[p.name] = parameterValue(op, p, world).map((v) => headerSafe(asText(v)) || 'x');
  }
  const requiredKeys = params(op, 'header')
    .filter((p) => p.required)
    .map((p) => p.name);
  return fc.record(model, { requiredKeys });
}

const json = (value: unknown): Body => ({ payload: JSON.stringify(value), contentType: 'application/json' });

const uploads = new WeakMap<World, fc.Arbitrary<Part[]>>();

/** A good upload: one allowed file and some of the optional text fields. */
function goodUpload(world: World): fc.Arbitrary<Part[]> {
  const cached = uploads.get(world);
  if (cached) return cached;
  const text = fc.string({ minLength: 1, maxLength: 30 });
  const arbitrary = fc
    .record(
      {
        file: fc.constantFrom(...world.files),
        title: fc.record({ en: text, de: text }, { requiredKeys: ['en'] }).map((v) => JSON.stringify(v)),
        alt_text: fc.record({ en: text }).map((v) => JSON.stringify(v)),
        folder: fc.stringMatching(/^[a-z0-9]{1,10}(\/[a-z0-9 _-]{1,10}){0,2}$/),
        tags: fc
          .array(fc.stringMatching(/^[a-z]{1,10}$/), { minLength: 1, maxLength: 4 })
          .map((t) => t.join(',')),
      },
      { requiredKeys: ['file'] },
    )
    .map(({ file, ...fields }): Part[] => [
      { name: 'file', filename: file.name, contentType: file.type, data: file.data },
      ...Object.entries(fields).map(([name, data]) => ({ name, data })),
    ]);
  uploads.set(world, arbitrary);
  return arbitrary;
}

export const BOUNDARY = 'fuzz-boundary-7MA4YWxkTrZu0gW';
const multipart = (parts: Part[], boundary = BOUNDARY): Body => ({
  payload: multipartBody(parts, boundary),
  contentType: `multipart/form-data; boundary=${boundary}`,
});

/** The body of a good request: schema-derived JSON, or an upload. */
function goodBody(op: Operation, world: World, allProperties = false): fc.Arbitrary<Body | undefined> {
  if (op.jsonBody) return arbitraryOf(op.jsonBody, context(world, allProperties)).map(json);
  if (op.multipart) return goodUpload(world).map((parts) => multipart(parts));
  return fc.constant(undefined);
}

const goods = new WeakMap<World, Map<string, fc.Arbitrary<Parts>>>();

/** A good request (built once per operation: building arbitraries costs more than drawing from them). */
function good(op: Operation, world: World, allProperties = false): fc.Arbitrary<Parts> {
  const cache = goods.get(world) ?? new Map<string, fc.Arbitrary<Parts>>();
  goods.set(world, cache);
  const key = `${op.key} ${String(allProperties)}`;
  let arbitrary = cache.get(key);
  if (!arbitrary) {
    arbitrary = fc.record({
      path: goodPath(op, world),
      query: goodQuery(op, world),
      headers: goodHeaders(op, world),
      body: goodBody(op, world, allProperties),
    });
    cache.set(key, arbitrary);
  }
  return arbitrary;
}

/** A good request with one path parameter (`name`, else any) replaced by `value` (already encoded). */
function badPath(
  op: Operation,
  world: World,
  name: string | undefined,
  value: fc.Arbitrary<string>,
): fc.Arbitrary<Parts> {
  const names = name === undefined ? params(op, 'path').map((p) => p.name) : [name];
  return fc
    .tuple(good(op, world), fc.constantFrom(...names), value)
    .map(([parts, n, v]) => ({ ...parts, path: { ...parts.path, [n]: v } }));
}

/** A good request with one query parameter (`name`, else any) given `value` (already encoded). */
function badQuery(
  op: Operation,
  world: World,
  name: string | undefined,
  value: fc.Arbitrary<string>,
): fc.Arbitrary<Parts> {
  const names = name === undefined ? params(op, 'query').map((p) => p.name) : [name];
  return fc.tuple(good(op, world), fc.constantFrom(...names), value).map(([parts, n, v]) => {
    const key = encodeURIComponent(n);
    return { ...parts, query: [...parts.query.filter(([k]) => k !== key), [key, v] as [string, string]] };
  });
}

/** A good JSON body (half the time with every optional field) spoiled at one place. */
function badJson(
  op: Operation,
  world: World,
  spoil: (body: unknown) => fc.Arbitrary<unknown>,
  placeholder?: { marker: string; text: string },
): fc.Arbitrary<Parts> {
  return fc
    .boolean()
    .chain((all) => good(op, world, all))
    .chain((parts) => {
      const body: unknown = parts.body ? JSON.parse(String(parts.body.payload)) : {};
      return spoil(body).map((spoiled) => {
        let payload = JSON.stringify(spoiled);
        if (placeholder) payload = payload.replace(`"${placeholder.marker}"`, placeholder.text);
        return { ...parts, body: { payload, contentType: 'application/json' } };
      });
    });
}

/** A place in `body` to spoil: a value of one of `types`, else any place, else a new field at the top. */
function placeIn(body: unknown, types?: string[]): fc.Arbitrary<JsonPath> {
  const all = paths(body);
  const fitting = types ? all.filter((p) => types.includes(jsonType(getAt(body, p)))) : all;
  const choice = fitting.length > 0 ? fitting : all;
  if (choice.length === 0) return fc.constant(jsonType(body) === 'array' ? [0] : ['fuzz']);
  return fc.constantFrom(...choice);
}

function replaceText(value: fc.Arbitrary<string>) {
  return (body: unknown) =>
    fc.tuple(placeIn(body, ['string']), value).map(([path, v]) => setAt(body, path, v));
}

const ODD_CONTENT_TYPES = [
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/json; charset=nonsense',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/jsonx',
  'application/vnd.api+json',
  'application/json; boundary=x; charset=utf-8; charset=utf-8',
  `application/json; x=${'y'.repeat(5000)}`,
  'json',
  '*/*',
  ';',
];

const WRONG_QUERY_TEXT = fc.constantFrom(
  'abc',
  '1.5',
  '-1',
  '0',
  '1e400',
  '99999999999999999999',
  'true',
  'null',
  '',
  '%5B%5D',
  '%7B%7D',
  '2026-02-30',
  '2026-13-01T25:61:00Z',
  'Mars%2FOlympus',
);

const ACCEPT_LANGUAGES = fc.constantFrom(
  'de;q=abc',
  '*;q=-1',
  'en;q=1e400',
  ',,,;;;',
  'q=0.5',
  'de-DE-u-co-phonebk-x-private',
  'zh-Hant-TW;q=0.1, ZZ;q=0.9, *',
  'x'.repeat(10_000),
  `${'de,'.repeat(2000)}en`,
  '__proto__',
  'constructor',
  'en;q=0.5;q=0.9',
  '../../de',
);

type Builder = (op: Operation, world: World, param?: string) => fc.Arbitrary<Parts>;

export interface Kind {
  name: string;
  /**
   * Sent even to a caller the guard turns away: it spoils the URL or headers, which are read before the guard
   * runs. Kinds that spoil the body go only to callers that get past it.
   */
  beforeGuard: boolean;
  /** Only for the caller without a session (the kind brings its own credentials). */
  anonymousOnly?: boolean;
  /** For callers past the guard, one input per path / query / required query parameter (else one at random). */
  each?: 'path' | 'query' | 'required query';
  /** A kind that spoils one field of a good body: sent more often, since which field it hits is random. */
  perField?: boolean;
  applies: (op: Operation) => boolean;
  build: Builder;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const hasPath = (op: Operation) => params(op, 'path').length > 0;
const hasQuery = (op: Operation) => params(op, 'query').length > 0;
const hasJson = (op: Operation) => op.jsonBody !== undefined;
const isWrite = (op: Operation) => WRITES.has(op.method);
const takesNoBody = (op: Operation) => isWrite(op) && !op.jsonBody && !op.multipart;
const always = () => true;

function pathKind(name: string, value: fc.Arbitrary<string>): Kind {
  return {
    name,
    beforeGuard: true,
    each: 'path',
    applies: hasPath,
    build: (op, w, p) => badPath(op, w, p, value),
  };
}

function queryKind(name: string, value: fc.Arbitrary<string>): Kind {
  return {
    name,
    beforeGuard: true,
    each: 'query',
    applies: hasQuery,
    build: (op, w, p) => badQuery(op, w, p, value),
  };
}

function bodyKind(name: string, applies: (op: Operation) => boolean, build: Builder, perField = false): Kind {
  return { name, beforeGuard: false, perField, applies, build };
}

/** Replaces a static segment's text of the path (not a parameter) with something the router must survive. */
const MANGLED_PATHS = fc.constantFrom(
  (path: string) => `${path}%`,
  (path: string) => `${path}%ff`,
  (path: string) => `${path}/%00`,
  (path: string) => `${path}/`,
  (path: string) => `${path}//`,
  (path: string) => path.replace('/api/', '/api/%2e%2e/'),
  (path: string) => path.replace('/v1/', '/v1/%ED%A0%80/'),
  (path: string) => path.replace('/api/v1/', '/api//v1/'),
  (path: string) => path.toUpperCase(),
  (path: string) => `${path};jsessionid=1`,
  (path: string) => `${path}#fragment`,
  (path: string) => `${path}/${'a/'.repeat(2000)}`,
);

/** Twice Fastify's default body limit. */
const OVERSIZED = JSON.stringify({ padding: 'x'.repeat(2_000_000) });

const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** Every kind of input. `good` first; a kind applies to an operation when it has what the kind spoils. */
export const KINDS: Kind[] = [
  { name: 'good', beforeGuard: true, applies: always, build: (op, w) => good(op, w) },

  pathKind('path: random uuid', fc.uuid()),
  pathKind(
    'path: not a uuid, tricky text',
    fc.oneof(trickyText, fc.string({ minLength: 1, maxLength: 30 })).map(encodeForUrl),
  ),
  pathKind('path: NUL', nulText.map(encodeForUrl)),
  pathKind('path: huge', fc.constant(HUGE_IN_URL)),
  pathKind('path: odd unicode', oddUnicode.map(encodeForUrl)),
  pathKind('path: bad percent-encoding', percentBytes),
  {
    name: 'url: mangled path',
    beforeGuard: true,
    applies: always,
    build: (op, w) => fc.tuple(good(op, w), MANGLED_PATHS).map(([parts, mangle]) => ({ ...parts, mangle })),
  },

  queryKind('query: wrong type', WRONG_QUERY_TEXT),
  queryKind('query: huge', fc.constant(HUGE_IN_URL)),
  queryKind('query: NUL', nulText.map(encodeForUrl)),
  queryKind('query: odd unicode', oddUnicode.map(encodeForUrl)),
  queryKind('query: bad percent-encoding', percentBytes),
  queryKind('query: tricky text', trickyText.map(encodeForUrl)),
  {
    name: 'query: repeated',
    beforeGuard: true,
    each: 'query',
    applies: hasQuery,
    build: (op, w, p) =>
      fc
        .tuple(
          good(op, w),
          fc.constantFrom(...(p ? [p] : params(op, 'query').map((q) => q.name))),
          WRONG_QUERY_TEXT,
        )
        .map(([parts, name, v]) => {
          const key = encodeURIComponent(name);
          return { ...parts, query: [...parts.query, [key, v], [key, 'x'], [key, '']] as [string, string][] };
        }),
  },
  {
    name: 'query: missing required',
    beforeGuard: true,
    each: 'required query',
    applies: (op) => params(op, 'query').some((p) => p.required),
    build: (op, w, p) =>
      fc
        .tuple(
          good(op, w),
          fc.constantFrom(
            ...(p
              ? [p]
              : params(op, 'query')
                  .filter((q) => q.required)
                  .map((q) => q.name)),
          ),
        )
        .map(([parts, name]) => ({
          ...parts,
          query: parts.query.filter(([k]) => k !== encodeURIComponent(name)),
        })),
  },
  {
    name: 'query: unknown and odd names',
    beforeGuard: true,
    applies: always,
    build: (op, w) =>
      good(op, w).map((parts) => ({
        ...parts,
        query: [
          ...parts.query,
          ['zzz', '1'],
          ['__proto__', 'x'],
          ['constructor%5Bprototype%5D', '1'],
          ['a%5Bb%5D%5Bc%5D', 'd'],
          ['%00', '%00'],
          ['', ''],
        ] as [string, string][],
      })),
  },

  {
    name: 'header: odd accept-language',
    beforeGuard: true,
    applies: always,
    build: (op, w) =>
      fc.tuple(good(op, w), ACCEPT_LANGUAGES).map(([parts, lang]) => ({
        ...parts,
        headers: { ...parts.headers, 'accept-language': lang },
      })),
  },
  {
    name: 'header: bad parameter values',
    beforeGuard: true,
    applies: (op) => params(op, 'header').length > 0,
    build: (op, w) =>
      fc
        .tuple(
          good(op, w),
          fc.constantFrom(...params(op, 'header')),
          fc.constantFrom('', ' ', 'x'.repeat(10_000), '\t', '%00', '${jndi:ldap://x}', '"quoted"'),
        )
        .map(([parts, p, v]) => ({ ...parts, headers: { ...parts.headers, [p.name]: v } })),
  },
  {
    name: 'auth: garbage credentials',
    beforeGuard: true,
    anonymousOnly: true,
    applies: always,
    build: (op, w) =>
      fc
        .tuple(
          good(op, w),
          fc.constantFrom<Record<string, string>>(
            { authorization: 'Bearer not-a-token' },
            { authorization: `Bearer ${'a'.repeat(10_000)}` },
            { authorization: 'Bearer' },
            { authorization: 'Basic dXNlcjpwYXNz' },
            { authorization: 'Bearer a b c' },
            { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' },
            { cookie: 'mq_access=forged; mq_csrf=forged', 'x-csrf-token': 'forged' },
            { cookie: `mq_access=${'%00'.repeat(10)}` },
            { cookie: 'mq_access=%E0%A4%A' },
          ),
        )
        .map(([parts, headers]) => ({ ...parts, headers: { ...parts.headers, ...headers } })),
  },
  {
    name: 'method: HEAD',
    beforeGuard: true,
    applies: (op) => op.method === 'GET',
    build: (op, w) => good(op, w).map((parts) => ({ ...parts, method: 'HEAD' })),
  },

  // JSON bodies, spoiled at one field.
  bodyKind(
    'body: wrong type',
    hasJson,
    (op, w) =>
      badJson(op, w, (body) =>
        placeIn(body).chain((path) => wrongTypeFor(getAt(body, path)).map((v) => setAt(body, path, v))),
      ),
    true,
  ),
  bodyKind(
    'body: missing required',
    hasJson,
    (op, w) =>
      badJson(op, w, (body) => {
        const required = requiredNames(op.jsonBody ?? {}, w.doc);
        const all = paths(body).filter((p) => typeof p[p.length - 1] === 'string');
        const choice = all.filter((p) => required.has(String(p[p.length - 1])));
        const places = choice.length > 0 ? choice : all;
        if (places.length === 0) return fc.constant(body);
        return fc.constantFrom(...places).map((p) => setAt(body, p, undefined, true));
      }),
    true,
  ),
  bodyKind('body: extra field', hasJson, (op, w) =>
    badJson(op, w, (body) => {
      const objects = [[], ...paths(body)].filter((p) => jsonType(getAt(body, p)) === 'object');
      if (objects.length === 0) return fc.constant(body);
      return fc
        .tuple(
          fc.constantFrom(...objects),
          fc.constantFrom('zzz_extra', '__proto__', 'constructor', 'id', 'role'),
        )
        .map(([p, name]) => setAt(body, [...p, name], { x: 1 }));
    }),
  ),
  bodyKind('body: huge string', hasJson, (op, w) => badJson(op, w, replaceText(fc.constant(HUGE))), true),
  bodyKind('body: NUL in text', hasJson, (op, w) => badJson(op, w, replaceText(nulText)), true),
  bodyKind('body: odd unicode', hasJson, (op, w) => badJson(op, w, replaceText(oddUnicode)), true),
  bodyKind('body: tricky text', hasJson, (op, w) => badJson(op, w, replaceText(trickyText)), true),
  bodyKind(
    'body: deep nesting in a field',
    hasJson,
    (op, w) =>
      badJson(op, w, (body) => placeIn(body).map((p) => setAt(body, p, '__fuzz_deep__')), {
        marker: '__fuzz_deep__',
        text: DEEP_ARRAYS,
      }),
    true,
  ),

  // Bodies that are not what the route reads.
  {
    ...bodyKind('body: deep nesting', isWrite, (op, w) =>
      fc
        .tuple(good(op, w), fc.constantFrom(DEEP_ARRAYS, '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP)))
        .map(([parts, payload]) => ({ ...parts, body: { payload, contentType: 'application/json' } })),
    ),
    beforeGuard: true,
  },
  {
    ...bodyKind('body: malformed JSON', isWrite, (op, w) =>
      fc
        .tuple(good(op, w), malformedJson)
        .map(([parts, payload]) => ({ ...parts, body: { payload, contentType: 'application/json' } })),
    ),
    beforeGuard: true,
  },
  bodyKind('body: wrong top-level type', hasJson, (op, w) =>
    fc
      .tuple(good(op, w), fc.constantFrom<unknown>([], [{}], 'text', 42, null, true, [[[]]]))
      .map(([parts, v]) => ({ ...parts, body: json(v) })),
  ),
  bodyKind(
    'body: empty with JSON content type',
    (op) => hasJson(op) || op.multipart,
    (op, w) =>
      good(op, w).map((parts) => ({ ...parts, body: { payload: '', contentType: 'application/json' } })),
  ),
  bodyKind(
    'body: none',
    (op) => hasJson(op) || op.multipart,
    (op, w) => good(op, w).map((parts) => ({ ...parts, body: undefined })),
  ),
  bodyKind('body: text/plain', isWrite, (op, w) =>
    good(op, w).map((parts) => ({
      ...parts,
      body: {
        payload: parts.body && !op.multipart ? parts.body.payload : '{"a":1}',
        contentType: 'text/plain',
      },
    })),
  ),
  bodyKind('body: form-urlencoded', isWrite, (op, w) =>
    good(op, w).map((parts) => ({
      ...parts,
      body: { payload: 'a=1&b=%00&c[d]=e', contentType: 'application/x-www-form-urlencoded' },
    })),
  ),
  bodyKind('body: odd content type', isWrite, (op, w) =>
    fc.tuple(good(op, w), fc.constantFrom(...ODD_CONTENT_TYPES)).map(([parts, contentType]) => ({
      ...parts,
      body: { payload: parts.body && !op.multipart ? parts.body.payload : '{}', contentType },
    })),
  ),
  bodyKind('body: oversized', isWrite, (op, w) =>
    good(op, w).map((parts) => ({
      ...parts,
      body: { payload: OVERSIZED, contentType: 'application/json' },
    })),
  ),
  bodyKind('body: unexpected JSON', takesNoBody, (op, w) =>
    fc.tuple(good(op, w), fc.jsonValue({ maxDepth: 3 })).map(([parts, v]) => ({ ...parts, body: json(v) })),
  ),

  // Multipart: the upload route's own bodies, spoiled; and a multipart body where JSON belongs.
  bodyKind(
    'multipart: to a route that takes none',
    (op) => isWrite(op) && !op.multipart,
    (op, w) =>
      fc.tuple(good(op, w), goodUpload(w)).map(([parts, upload]) => ({ ...parts, body: multipart(upload) })),
  ),
  bodyKind(
    'multipart: truncated',
    isWrite,
    (op, w) =>
      fc
        .tuple(good(op, w), goodUpload(w), fc.double({ min: 0.05, max: 0.98, noNaN: true }))
        .map(([parts, upload, cut]) => {
          const whole = multipartBody(upload, BOUNDARY);
          return {
            ...parts,
            body: { payload: whole.subarray(0, Math.floor(whole.length * cut)), contentType: MULTIPART },
          };
        }),
    true,
  ),
  bodyKind(
    'multipart: NUL in fields and file name',
    (op) => op.multipart,
    (op, w) =>
      fc.tuple(good(op, w), goodUpload(w), nulText).map(([parts, upload, nul]) => ({
        ...parts,
        body: multipart([
          ...upload.filter((p) => p.name === 'file').map((p) => ({ ...p, filename: `a${nul}.png` })),
          { name: 'title', data: JSON.stringify({ en: `x${nul}`, de: nul }) },
          { name: 'folder', data: `a${nul}` },
          { name: 'tags', data: `a,${nul},b` },
        ]),
      })),
    true,
  ),
  bodyKind(
    'multipart: odd unicode in fields and file name',
    (op) => op.multipart,
    (op, w) =>
      fc.tuple(good(op, w), goodUpload(w), oddUnicode, oddUnicode).map(([parts, upload, a, b]) => ({
        ...parts,
        body: multipart([
          ...upload.filter((p) => p.name === 'file').map((p) => ({ ...p, filename: `${a}/../${b}.png` })),
          { name: 'title', data: JSON.stringify({ en: a, de: b }) },
          { name: 'alt_text', data: JSON.stringify({ en: b }) },
          { name: 'caption', data: `{"en": "${a}"` },
          { name: 'tags', data: `${a},${b}` },
        ]),
      })),
    true,
  ),
  bodyKind(
    'multipart: no boundary, wrong boundary',
    (op) => op.multipart,
    (op, w) =>
      fc
        .tuple(
          good(op, w),
          goodUpload(w),
          fc.constantFrom(
            'multipart/form-data',
            'multipart/form-data; boundary=other',
            'multipart/form-data; boundary=',
          ),
        )
        .map(([parts, upload, contentType]) => ({
          ...parts,
          body: { payload: multipartBody(upload, BOUNDARY), contentType },
        })),
  ),
  bodyKind(
    'multipart: no file, two files, too many parts',
    (op) => op.multipart,
    (op, w) =>
      fc
        .tuple(good(op, w), goodUpload(w), fc.constantFrom('none', 'two', 'many', 'other-name'))
        .map(([parts, upload, how]) => {
          const file = upload.find((p) => p.name === 'file') ?? {
            name: 'file',
            filename: 'x.svg',
            data: SVG,
          };
          const fields = upload.filter((p) => p.name !== 'file');
          const lists: Record<string, Part[]> = {
            none: fields.length > 0 ? fields : [{ name: 'title', data: '{"en":"x"}' }],
            two: [file, { ...file, filename: 'second.png' }, ...fields],
            many: [file, ...Array.from({ length: 14 }, (_, i) => ({ name: `f${i}`, data: 'x' }))],
            'other-name': [{ ...file, name: 'upload' }],
          };
          return { ...parts, body: multipart(lists[how] ?? []) };
        }),
  ),
  bodyKind(
    'multipart: huge field',
    (op) => op.multipart,
    (op, w) =>
      fc
        .tuple(good(op, w), goodUpload(w), fc.constantFrom('title', 'alt_text', 'folder', 'tags', 'caption'))
        .map(([parts, upload, name]) => ({
          ...parts,
          body: multipart([
            ...upload.filter((p) => p.name !== name),
            {
              name,
              data: name === 'tags' || name === 'folder' ? 'x'.repeat(20_000) : JSON.stringify({ en: HUGE }),
            },
          ]),
        })),
  ),
  bodyKind(
    'multipart: file type not allowed or broken',
    (op) => op.multipart,
    (op, w) =>
      fc
        .tuple(
          good(op, w),
          fc.constantFrom(
            { data: Buffer.from(HTML), type: 'image/png', name: 'x.png' },
            { data: BROKEN_PNG, type: 'image/png', name: 'broken.png' },
            {
              data: Buffer.from(SVG.replace('<rect', '<script>alert(1)</script><rect')),
              type: 'image/svg+xml',
              name: 's.svg',
            },
            { data: Buffer.alloc(0), type: 'image/png', name: 'empty.png' },
            { data: Buffer.from([0x00, 0x00, 0x00]), type: 'application/octet-stream', name: 'nul' },
          ),
        )
        .map(([parts, file]) => ({
          ...parts,
          body: multipart([{ name: 'file', filename: file.name, contentType: file.type, data: file.data }]),
        })),
  ),
];

/** The parameters a kind is sent once each for (callers past the guard), or [undefined]: one input, any. */
export function targetsOf(kind: Kind, op: Operation, pastGuard: boolean): (string | undefined)[] {
  if (!pastGuard || !kind.each) return [undefined];
  const list =
    kind.each === 'path'
      ? params(op, 'path')
      : params(op, 'query').filter((p) => kind.each === 'query' || p.required);
  return list.map((p) => p.name);
}

/** The request `parts` describe. */
export function toInput(op: Operation, kindName: string, parts: Parts): FuzzInput {
  let url = op.path;
  for (const [name, value] of Object.entries(parts.path)) url = url.replace(`{${name}}`, value);
  if (parts.mangle) url = parts.mangle(url);
  if (parts.query.length > 0) url += `?${parts.query.map(([k, v]) => `${k}=${v}`).join('&')}`;
  const headers = { ...parts.headers };
  if (parts.body?.contentType !== undefined) headers['content-type'] = parts.body.contentType;
  return {
    kind: kindName,
    method: parts.method ?? op.method,
    url,
    headers,
    ...(parts.body ? { payload: parts.body.payload } : {}),
  };
}
