import fc from 'fast-check';

/** A string 100k characters long: far over every maxLength of the API. */
export const HUGE = 'x'.repeat(100_000);
/** Long enough for any URL part to be over every limit, short enough not to be refused as a whole request. */
export const HUGE_IN_URL = 'x'.repeat(20_000);
/** How deep the nested arrays of the deep-nesting inputs go. */
export const DEEP = 10_000;
export const DEEP_ARRAYS = '['.repeat(DEEP) + ']'.repeat(DEEP);

/** Text with a NUL character somewhere (PostgreSQL's text and jsonb cannot hold one). */
export const nulText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', 'Über\u0000uns', '\u0000'.repeat(3)),
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`),
);

/** Unicode that trips up encoders, comparisons and renderers. */
export const oddUnicode: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\uD800', // lone high surrogate
    'a\uDC00b', // lone low surrogate
    '\uDBFF\uDBFF',
    '\u202Eevil\u202C', // right-to-left override
    '\u200F\u200E\u061C', // RTL/LTR marks
    '\uFEFFbom',
    '👩‍💻🏳️‍🌈🇩🇪',
    'Z̸̡̢̛̗͓̈́͌a̷̧̛͔͙l̶̡̛̝g̵͓̈́o̶͍̓',
    '\u0301\u0301\u0301',
    'ﬀ ß İ ı ǅ', // case-mapping oddities
    '\u2028\u2029',
    '\uFFFF\uFFFE',
    '𝕳𝖆𝖚𝖘',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
);

/** Text that means something to some parser on the way (tsquery, LIKE, JSON, SQL, HTML, paths, numbers). */
export const trickyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '-'.repeat(50),
    '-'.repeat(200),
    '!'.repeat(60),
    '&|!():*<->',
    '"'.repeat(41),
    "'; DROP TABLE pages; --",
    "O'Brien",
    '%_\\',
    '\\',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '${7*7}{{7*7}}',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    'NaN',
    '-0',
    '1e309',
    '99999999999999999999999',
    '0x1F',
    '   ',
    '',
  ),
  fc.integer({ min: 41, max: 300 }).map((n) => '-'.repeat(n)),
  fc.integer({ min: 2, max: 100 }).map((n) => 'a -b '.repeat(n)),
);

/** Raw, already percent-encoded URL text, partly not valid UTF-8 or not valid percent-encoding. */
export const percentBytes: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '%ff',
    '%C0%AF',
    '%ED%A0%80', // an encoded lone surrogate (not UTF-8)
    '%E2%80%AE',
    '%',
    '%zz',
    '%%',
    '%2e%2e%2f%2e%2e',
    '%2F',
    '%25',
    '%F0%9F%98',
    '%0d%0aX-Injected:%201',
  ),
  fc
    .uint8Array({ minLength: 1, maxLength: 12 })
    .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);

/** Text as it may be put in a URL: encoded, and lone surrogates as the bytes they would be (not UTF-8). */
export function encodeForUrl(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

export type JsonPath = (string | number)[];

/** The paths of every value in `value` (leaves and containers, the root excluded). */
export function paths(value: unknown, prefix: JsonPath = [], into: JsonPath[] = []): JsonPath[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      into.push([...prefix, i]);
      paths(v, [...prefix, i], into);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      into.push([...prefix, k]);
      paths(v, [...prefix, k], into);
    }
  }
  return into;
}

export function getAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown> | null)?.[key];
  return current;
}

/** A deep copy with the value at `path` replaced (or deleted, with `remove`). */
export function setAt(value: unknown, path: JsonPath, next: unknown, remove = false): unknown {
  const copy: unknown = structuredClone(value);
  if (path.length === 0) return next;
  const parent = getAt(copy, path.slice(0, -1));
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent) && typeof last === 'number') {
    if (remove) parent.splice(last, 1);
    else parent[last] = next;
  } else if (typeof parent === 'object' && parent !== null) {
    const fields = new Map(Object.entries(parent));
    if (remove) fields.delete(String(last));
    else fields.set(String(last), next);
    return setAt(copy, path.slice(0, -1), Object.fromEntries(fields));
  }
  return copy;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A value of another JSON type than `original`. */
export function wrongTypeFor(original: unknown): fc.Arbitrary<unknown> {
  const candidates: unknown[] = ['text', '', 42, -1, 1.5, 1e308, true, false, null, [], ['x'], {}, { en: 1 }];
  const type = jsonType(original);
  const others = candidates.filter(
    (c) => jsonType(c) !== type || (type === 'number' && Number.isInteger(original) && !Number.isInteger(c)),
  );
  return fc.constantFrom(...others);
}

/** JSON text that is not JSON, or is JSON that parsers treat specially. */
export const malformedJson: fc.Arbitrary<string> = fc.constantFrom(
  '{',
  '{"a":',
  '{"a":1}}',
  "{'a':1}",
  '{"a":1,}',
  '[1,2',
  'nul',
  'undefined',
  '{"a":"\\x00"}',
  '{"a":"\\ud800"}',
  '{"a":"\\uZZZZ"}',
  '\uFEFF{}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1}{"b":2}',
  '1e999999',
  '-',
  '\u0000',
  '{"a":NaN}',
  '{"a":Infinity}',
);

/** A multipart/form-data body. */
export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: string | Buffer;
}

export function multipartBody(parts: Part[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const head = [`--${boundary}`, `Content-Disposition: ${disposition}`];
    if (part.contentType) head.push(`Content-Type: ${part.contentType}`);
    chunks.push(Buffer.from(`${head.join('\r\n')}\r\n\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A small SVG and an HTML page: one allowed type, one never allowed. */
export const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
export const HTML = '<!doctype html><html><body><script>alert(1)</script></body></html>';
/** The PNG signature and a header chunk cut short: a PNG that no decoder reads. */
export const BROKEN_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
  Buffer.from('IHDR'),
  Buffer.from([0x00, 0x00, 0x10]),
]);
