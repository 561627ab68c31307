import type { ErrorObject, ValidateFunction } from 'ajv';
import Type, { type Static, type TSchema } from 'typebox';
import { type ErrorDetail } from '../../platform/http/errors.ts';
import { LocalizedTextInput, Uuid } from '../../platform/http/schemas.ts';
import { createAjv } from '../../platform/http/validation.ts';
import { pageError } from './errors.ts';

/**
 * The page builder's vocabulary. A block is `{ "type": "...", ...fields }`; every text a visitor reads is a
 * `{"en": string, "de"?: string}` object (English required, German optional: the public site falls back field
 * by field); media are referenced by fields named `media_id` (live rows of media_files), galleries by
 * `items: [{ media_id, caption? }]`. Other modules render and translate blocks by this convention.
 */

/** A bilingual text: English required, German optional. */
const Text = LocalizedTextInput;

const MediaId = Type.String({ format: 'uuid', description: 'id of a media file' });
const Href = Type.String({
  minLength: 1,
  maxLength: 500,
  pattern: '^(/|https?://|mailto:|#)',
  description: 'a site path (/contact), an http(s) URL, mailto: or #anchor',
});
const Heading = Text(300);
const Body = Text(50_000);
const Limit = Type.Integer({ minimum: 1, maximum: 50 });
const Link = Type.Object({ label: Text(100), href: Href }, { additionalProperties: false });

function block(type: string, fields: Record<string, TSchema>) {
  return Type.Object({ type: Type.Literal(type), ...fields }, { additionalProperties: false });
}

const TitledItems = Type.Array(
  Type.Object(
    { title: Text(200), text: Type.Optional(Body), media_id: Type.Optional(MediaId) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 50 },
);

export const BLOCK_SCHEMAS = {
  hero: block('hero', {
    heading: Heading,
    subheading: Type.Optional(Text(1000)),
    media_id: Type.Optional(MediaId),
    cta: Type.Optional(Link),
  }),
  rich_text: block('rich_text', { heading: Type.Optional(Heading), body: Body }),
  /** The demo content's name for rich_text. */
  text: block('text', { heading: Type.Optional(Heading), body: Body }),
  image: block('image', {
    media_id: MediaId,
    alt: Type.Optional(Text(300)),
    caption: Type.Optional(Text(1000)),
  }),
  gallery: block('gallery', {
    heading: Type.Optional(Heading),
    items: Type.Array(
      Type.Object({ media_id: MediaId, caption: Type.Optional(Text(1000)) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 100 },
    ),
  }),
  call_to_action: block('call_to_action', {
    heading: Heading,
    text: Type.Optional(Text(2000)),
    button: Link,
  }),
  faq: block('faq', {
    heading: Type.Optional(Heading),
    items: Type.Array(Type.Object({ question: Text(500), answer: Body }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 100,
    }),
  }),
  quote: block('quote', {
    text: Text(2000),
    author: Type.Optional(Text(200)),
    role: Type.Optional(Text(200)),
    media_id: Type.Optional(MediaId),
  }),
  columns: block('columns', {
    heading: Type.Optional(Heading),
    columns: Type.Array(
      Type.Object(
        { heading: Type.Optional(Heading), body: Body, media_id: Type.Optional(MediaId) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 4 },
    ),
  }),
  consultant_list: block('consultant_list', {
    heading: Type.Optional(Heading),
    consultant_ids: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    show_booking_button: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Limit),
  }),
  webinar_list: block('webinar_list', {
    heading: Type.Optional(Heading),
    show_past: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Limit),
  }),
  whitepaper_list: block('whitepaper_list', {
    heading: Type.Optional(Heading),
    limit: Type.Optional(Limit),
  }),
  features: block('features', { heading: Type.Optional(Heading), items: TitledItems }),
  service_list: block('service_list', { heading: Type.Optional(Heading), items: TitledItems }),
  values: block('values', {
    heading: Type.Optional(Heading),
    items: Type.Array(Text(500), { minItems: 1, maxItems: 50 }),
  }),
  contact_form: block('contact_form', {
    heading: Type.Optional(Heading),
    recipient: Type.Optional(Type.String({ format: 'email', maxLength: 255 })),
  }),
  booking_widget: block('booking_widget', {
    heading: Type.Optional(Heading),
    consultant_id: Type.Optional(Uuid),
    duration: Type.Optional(Type.Integer({ minimum: 15, maximum: 480 })),
  }),
} as const;

export type BlockType = keyof typeof BLOCK_SCHEMAS;
export const BLOCK_TYPES = Object.keys(BLOCK_SCHEMAS) as BlockType[];

const pascal = (type: string) =>
  type.replace(/(^|_)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase());

/** Each block type's schema as a named, shared schema (`BlockHero`, `BlockCallToAction`, ...): app.addSchema. */
export const BLOCK_COMPONENTS = Object.entries(BLOCK_SCHEMAS).map(([type, schema]) => ({
  ...schema,
  $id: `Block${pascal(type)}`,
}));

/**
 * One block of any type, as the API takes it: a `oneOf` of the named block schemas chosen by `type` (an OpenAPI
 * and Ajv discriminator), so the document shows each type's fields and a bad block is reported against its own
 * type's schema only.
 */
export const BlockSchema = Type.Unsafe<Static<(typeof BLOCK_SCHEMAS)[BlockType]>>({
  oneOf: BLOCK_COMPONENTS.map((schema) => Type.Ref(schema.$id)),
  discriminator: { propertyName: 'type' },
  description: `A page builder block: {"type", ...the fields of that type}; types: ${BLOCK_TYPES.join(', ')}`,
});

const ajv = createAjv({ coerceTypes: false });
const validators = new Map<string, ValidateFunction>(
  Object.entries(BLOCK_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema as object)]),
);

function detailsOf(index: number, errors: ErrorObject[]): ErrorDetail[] {
  return errors.map((e) => {
    const missing = e.params['missingProperty'] as unknown;
    const extra = e.params['additionalProperty'] as unknown;
    const path = [`blocks.${String(index)}`, e.instancePath.replace(/^\//, '').replaceAll('/', '.')]
      .concat(typeof missing === 'string' ? [missing] : typeof extra === 'string' ? [extra] : [])
      .filter(Boolean)
      .join('.');
    return { field: path, code: e.keyword, message: e.message ?? e.keyword };
  });
}

/** Every `media_id` in a block, with its dotted path (`blocks.2.items.0.media_id`). */
export function mediaReferences(blocks: unknown[]): { id: string; field: string; index: number }[] {
  const found: { id: string; field: string; index: number }[] = [];
  const walk = (value: unknown, path: string, index: number) => {
    if (Array.isArray(value))
      value.forEach((v, i) => {
        walk(v, `${path}.${String(i)}`, index);
      });
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'media_id' && typeof v === 'string')
          found.push({ id: v, field: `${path}.${key}`, index });
        else walk(v, `${path}.${key}`, index);
      }
    }
  };
  blocks.forEach((b, i) => {
    walk(b, `blocks.${String(i)}`, i);
  });
  return found;
}

/**
 * Checks the shape of every block: an unknown type or a bad field is a 400 `pages.invalid_block` naming the
 * first bad block's index, with one detail per problem (`blocks.3.heading.en`).
 */
export function checkBlockShapes(blocks: unknown[]): void {
  const details: ErrorDetail[] = [];
  let first: number | undefined;
  blocks.forEach((b, index) => {
    const type = b && typeof b === 'object' && !Array.isArray(b) ? (b as { type?: unknown }).type : undefined;
    const validate = typeof type === 'string' ? validators.get(type) : undefined;
    if (!validate) {
      first ??= index;
      details.push({
        field: `blocks.${String(index)}.type`,
        code: 'block_type',
        message: `unknown block type ${JSON.stringify(type ?? null)}; one of ${BLOCK_TYPES.join(', ')}`,
      });
      return;
    }
    if (!validate(b)) {
      first ??= index;
      details.push(...detailsOf(index, validate.errors ?? []));
    }
  });
  if (first !== undefined) {
    const summary = details
      .filter((d) => d.field?.startsWith(`blocks.${String(first)}.`))
      .map((d) => `${d.field ?? ''} ${d.message}`)
      .join('; ');
    throw pageError('pages.invalid_block', { index: first, summary }, details);
  }
}

/**
 * Shapes first, then that every referenced media file exists and is not deleted: `liveMedia` answers which of
 * the ids are live (the media module's service, inside the caller's transaction).
 */
export async function checkBlocks(
  blocks: unknown[],
  liveMedia: (ids: string[]) => Promise<ReadonlySet<string>>,
): Promise<void> {
  checkBlockShapes(blocks);
  const refs = mediaReferences(blocks);
  if (refs.length === 0) return;
  const known = await liveMedia([...new Set(refs.map((r) => r.id))]);
  const missing = refs.filter((r) => !known.has(r.id));
  const [firstMissing] = missing;
  if (firstMissing) {
    throw pageError(
      'pages.media_not_found',
      { index: firstMissing.index, field: firstMissing.field },
      missing.map((m) => ({ field: m.field, code: 'media_not_found', message: `no media file ${m.id}` })),
    );
  }
}
