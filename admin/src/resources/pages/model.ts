// The page as the panel edits it: the API's page and block types (from the server's schemas), a description of
// every block type's fields (which drives the block forms, their defaults and the clean-up before saving), and
// the one normalisation that turns form values into the bodies the API takes and compares two states of a page.
import type { Answer, Body, QueryOf, Schemas } from '../../api/types.ts';

export type PageRecord = Answer<'getPage'>;
/** A page as the list answers it: no content, blocks, excerpt or SEO fields (the editor fetches the page). */
export type PageSummaryRecord = Answer<'listPages'>['items'][number];
export type TreeNodeRecord = Omit<Answer<'getPageTree'>['items'][number], 'children'> & {
  children: TreeNodeRecord[];
};
export type HistoryEntry = Answer<'listPageHistory'>['items'][number];
export type LocalizedValue = PageRecord['title'];
export const STATUSES = [
  'draft',
  'scheduled',
  'published',
  'archived',
] as const satisfies readonly NonNullable<QueryOf<'listPages'>['status']>[];
export type PageStatus = (typeof STATUSES)[number];

type BlockSchemaName = Extract<keyof Schemas, `Block${string}`>;

/** Each block type of the API and the named schema that describes it (BlockHero, BlockCallToAction, …). */
export const BLOCK_SCHEMA = {
  hero: 'BlockHero',
  rich_text: 'BlockRichText',
  text: 'BlockText',
  image: 'BlockImage',
  gallery: 'BlockGallery',
  call_to_action: 'BlockCallToAction',
  faq: 'BlockFaq',
  quote: 'BlockQuote',
  columns: 'BlockColumns',
  consultant_list: 'BlockConsultantList',
  webinar_list: 'BlockWebinarList',
  whitepaper_list: 'BlockWhitepaperList',
  features: 'BlockFeatures',
  service_list: 'BlockServiceList',
  values: 'BlockValues',
  contact_form: 'BlockContactForm',
  booking_widget: 'BlockBookingWidget',
} as const satisfies Record<string, BlockSchemaName>;

export type BlockType = keyof typeof BLOCK_SCHEMA;
/**
 * One block as the API takes it. openapi-typescript writes the schema's name into `type` (a discriminator without
 * a mapping); the API's value is the block type itself.
 */
export type BlockOf<T extends BlockType> = Omit<Schemas[(typeof BLOCK_SCHEMA)[T]], 'type'> & { type: T };
export type Block = { [T in BlockType]: BlockOf<T> }[BlockType];

// Every block schema the API defines has an editor here: a new one fails the panel's type check until it does.
type Unedited = Exclude<BlockSchemaName, (typeof BLOCK_SCHEMA)[BlockType]>;
export const EVERY_BLOCK_TYPE_EDITED: [Unedited] extends [never] ? true : Unedited = true;

/** What a field of a block is, and so which input edits it. Limits are the API's (src/modules/pages/blocks.ts). */
export type FieldSpec =
  | { kind: 'text'; required?: boolean; max: number; multiline?: boolean }
  | { kind: 'link'; required?: boolean }
  | { kind: 'media'; required?: boolean }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'email' }
  | { kind: 'consultant' }
  | { kind: 'consultants'; max: number }
  | { kind: 'items'; min: number; max: number; item: Record<string, FieldSpec> }
  | { kind: 'texts'; min: number; max: number; maxLength: number };

/** Every field of a block type has a spec (a field the API adds and the panel misses fails the type check). */
type Fields<B> = { [K in Exclude<keyof B, 'type'>]-?: FieldSpec };

const heading = { kind: 'text', max: 300 } as const;
const body = { kind: 'text', required: true, max: 50_000, multiline: true } as const;
const limit = { kind: 'integer', min: 1, max: 50 } as const;
const titledItems = {
  kind: 'items',
  min: 1,
  max: 50,
  item: {
    title: { kind: 'text', required: true, max: 200 },
    text: { kind: 'text', max: 50_000, multiline: true },
    media_id: { kind: 'media' },
  },
} as const;

export const BLOCK_FIELDS: { [T in BlockType]: Fields<BlockOf<T>> } = {
  hero: {
    heading: { ...heading, required: true },
    subheading: { kind: 'text', max: 1000, multiline: true },
    media_id: { kind: 'media' },
    cta: { kind: 'link' },
  },
  rich_text: { heading, body },
  text: { heading, body },
  image: {
    media_id: { kind: 'media', required: true },
    alt: { kind: 'text', max: 300 },
    caption: { kind: 'text', max: 1000 },
  },
  gallery: {
    heading,
    items: {
      kind: 'items',
      min: 1,
      max: 100,
      item: { media_id: { kind: 'media', required: true }, caption: { kind: 'text', max: 1000 } },
    },
  },
  call_to_action: {
    heading: { ...heading, required: true },
    text: { kind: 'text', max: 2000, multiline: true },
    button: { kind: 'link', required: true },
  },
  faq: {
    heading,
    items: {
      kind: 'items',
      min: 1,
      max: 100,
      item: {
        question: { kind: 'text', required: true, max: 500 },
        answer: { ...body },
      },
    },
  },
  quote: {
    text: { kind: 'text', required: true, max: 2000, multiline: true },
    author: { kind: 'text', max: 200 },
    role: { kind: 'text', max: 200 },
    media_id: { kind: 'media' },
  },
  columns: {
    heading,
    columns: {
      kind: 'items',
      min: 1,
      max: 4,
      item: { heading, body, media_id: { kind: 'media' } },
    },
  },
  consultant_list: {
    heading,
    consultant_ids: { kind: 'consultants', max: 50 },
    show_booking_button: { kind: 'boolean' },
    limit,
  },
  webinar_list: { heading, show_past: { kind: 'boolean' }, limit },
  whitepaper_list: { heading, limit },
  features: { heading, items: titledItems },
  service_list: { heading, items: titledItems },
  values: { heading, items: { kind: 'texts', min: 1, max: 50, maxLength: 500 } },
  contact_form: { heading, recipient: { kind: 'email' } },
  booking_widget: {
    heading,
    consultant_id: { kind: 'consultant' },
    duration: { kind: 'integer', min: 15, max: 480 },
  },
};

export const BLOCK_TYPES = Object.keys(BLOCK_FIELDS) as BlockType[];

export function isBlockType(type: unknown): type is BlockType {
  return typeof type === 'string' && Object.hasOwn(BLOCK_FIELDS, type);
}

/** A site path, an http(s) URL, mailto: or an #anchor (the API's pattern for links). */
export const HREF_PATTERN = /^(\/|https?:\/\/|mailto:|#)/;

// ----- empty values --------------------------------------------------------------------------------------------

function emptyOf(fields: Record<string, FieldSpec>): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.kind === 'items') value[name] = Array.from({ length: spec.min }, () => emptyOf(spec.item));
    else if (spec.kind === 'texts')
      value[name] = Array.from({ length: spec.min }, () => ({ en: '', de: '' }));
    else if (spec.kind === 'text') value[name] = { en: '', de: '' };
    else if (spec.kind === 'link') value[name] = { label: { en: '', de: '' }, href: '' };
  }
  return value;
}

/** A new block of `type`, with the items its lists need at least. */
export function emptyBlock(type: BlockType): Record<string, unknown> {
  return { type, ...emptyOf(BLOCK_FIELDS[type]) };
}

/** An empty item of a block's list (`items`, `columns`). */
export function emptyItem(spec: FieldSpec): unknown {
  if (spec.kind === 'items') return emptyOf(spec.item);
  return { en: '', de: '' };
}

// ----- normalisation -------------------------------------------------------------------------------------------

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const blank = (value: string) => value.trim() === '';

/** A bilingual text as the API takes it: {en, de?}; undefined when both are empty. */
export function cleanText(value: unknown): { en: string; de?: string } | undefined {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const en = str(v['en']);
  const de = str(v['de']);
  if (blank(en) && blank(de)) return undefined;
  return blank(de) ? { en } : { en, de };
}

function cleanField(spec: FieldSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'text': {
      const text = cleanText(value);
      return text ?? (spec.required ? { en: '' } : undefined);
    }
    case 'link': {
      const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      const label = cleanText(v['label']);
      const href = str(v['href']).trim();
      if (!label && !href && !spec.required) return undefined;
      return { label: label ?? { en: '' }, href };
    }
    case 'media':
    case 'consultant':
    case 'email': {
      const text = str(value).trim();
      return text === '' ? undefined : text;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'consultants': {
      const ids = Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
      return ids.length > 0 ? ids : undefined;
    }
    case 'items':
      return (Array.isArray(value) ? value : []).map((item) => cleanObject(spec.item, item));
    case 'texts':
      return (Array.isArray(value) ? value : []).map((item) => cleanText(item) ?? { en: '' });
  }
}

function cleanObject(fields: Record<string, FieldSpec>, value: unknown): Record<string, unknown> {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const cleaned = cleanField(spec, v[name]);
    if (cleaned !== undefined) out[name] = cleaned;
  }
  return out;
}

/** A block as the API takes it: empty optional fields left out; a type the panel does not know kept as it is. */
export function cleanBlock(value: unknown): unknown {
  const type = value && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
  if (!isBlockType(type)) return value;
  return { type, ...cleanObject(BLOCK_FIELDS[type], value) };
}

type PageBody = Body<'createPage'>;

/** The fields of a page the editor changes (the PATCH body without its version). */
export const EDITABLE = [
  'slug',
  'title',
  'excerpt',
  'content',
  'blocks',
  'meta_title',
  'meta_description',
  'meta_keywords',
  'og_image',
  'canonical_url',
  'parent_id',
  'sort_order',
] as const satisfies readonly (keyof PageBody & keyof Body<'updatePage'>)[];
export type EditableField = (typeof EDITABLE)[number];

const NULLABLE_TEXTS = new Set<string>([
  'excerpt',
  'content',
  'meta_title',
  'meta_description',
  'meta_keywords',
]);

/** One field of the page as the API takes it (undefined: leave it out). */
export function cleanPageField(field: EditableField, value: unknown): unknown {
  if (field === 'title') return cleanText(value) ?? { en: '' };
  if (NULLABLE_TEXTS.has(field)) return cleanText(value) ?? null;
  if (field === 'blocks') return (Array.isArray(value) ? value : []).map(cleanBlock);
  if (field === 'slug') return str(value).trim();
  if (field === 'sort_order') return typeof value === 'number' ? value : undefined;
  // parent_id, og_image, canonical_url: a text or null.
  const text = str(value).trim();
  return text === '' ? null : text;
}

/** The body of a create from the form's values. */
export function toCreateBody(data: Record<string, unknown>): PageBody {
  const body: Record<string, unknown> = {};
  for (const field of EDITABLE) {
    const value = cleanPageField(field, data[field]);
    if (value !== undefined && value !== null) body[field] = value;
  }
  return body as PageBody;
}

/** The changed fields of an update, as the API takes them (the provider adds the version). */
export function toUpdateBody(changed: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of EDITABLE) {
    if (!(field in changed)) continue;
    const value = cleanPageField(field, changed[field]);
    if (value !== undefined) body[field] = value;
  }
  return body;
}

/** Whether a field holds the same content in two states of a page (both cleaned up alike). */
export function sameField(field: EditableField, a: unknown, b: unknown): boolean {
  return JSON.stringify(cleanPageField(field, a)) === JSON.stringify(cleanPageField(field, b));
}

/** The fields whose content differs between two states of a page. */
export function differingFields(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  fields: readonly EditableField[] = EDITABLE,
): EditableField[] {
  return fields.filter((field) => !sameField(field, a[field], b[field]));
}

const LOCALIZED = new Set<string>(['title', ...NULLABLE_TEXTS]);

/** The text of one language of a bilingual field, as saved ('' for none). */
function languageOf(value: unknown, lang: 'en' | 'de'): string {
  return cleanText(value)?.[lang] ?? '';
}

/**
 * Where two states of a page differ, as finely as a change can be put back on another state: a bilingual
 * text by language ("title.de"), every other field as a whole ("blocks").
 */
export function differingPaths(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return EDITABLE.flatMap((field) => {
    if (!LOCALIZED.has(field)) return sameField(field, a[field], b[field]) ? [] : [field];
    return (['en', 'de'] as const)
      .filter((lang) => languageOf(a[field], lang) !== languageOf(b[field], lang))
      .map((lang) => `${field}.${lang}`);
  });
}

/** The field a path belongs to ("title.de" → "title"). */
export function fieldOf(path: string): EditableField {
  return path.split('.')[0] as EditableField;
}

// ----- reading -------------------------------------------------------------------------------------------------

/** A bilingual text in `locale`, English where it has none; `fallback` tells which. */
export function inLanguage(value: unknown, locale: string): { text: string; fallback: boolean } {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const own = str(v[locale]);
  if (!blank(own)) return { text: own, fallback: false };
  const en = str(v['en']);
  return { text: en, fallback: locale !== 'en' && !blank(en) };
}
