import Type, { type Static, type TLiteral, type TUnion } from 'typebox';
import { pageQuery } from '../../platform/http/pagination.ts';
import {
  LocalizedText,
  LocalizedTextInput,
  NullableString,
  NullableTimestamp,
  Timestamp,
  Uuid,
  Version,
} from '../../platform/http/schemas.ts';
import { BlockSchema } from './blocks.ts';

// The schemas of the pages API; every type of it is derived from them.

/** A union of string literals typed as the union of its values (`map` alone loses them to `never`). */
function literals<const T extends readonly string[]>(values: T) {
  return Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<{
    -readonly [K in keyof T]: TLiteral<T[K]>;
  }>;
}

export const PAGE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

/** The orders of the page list (a leading dash: descending). */
export const PAGE_SORTS = [
  'sort_order',
  'slug',
  '-slug',
  'updated_at',
  '-updated_at',
  'created_at',
  '-created_at',
] as const;
export type PageSort = (typeof PAGE_SORTS)[number];

/** Lowercase letters, digits and single dashes between them. */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

export type WorkflowAction = 'publish' | 'unpublish' | 'unschedule' | 'archive' | 'schedule';

const Slug = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: SLUG_PATTERN,
  description:
    'lowercase letters, digits and dashes; unique among live pages; not a reserved word (api, admin, en, de, media, …)',
});
const OptionalNullable = <T extends ReturnType<typeof LocalizedTextInput>>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()]));
const Blocks = Type.Array(BlockSchema, { maxItems: 200, description: 'Page builder blocks, in order' });
const Url = Type.String({ maxLength: 500, format: 'uri' });
const ImageRef = Type.String({ minLength: 1, maxLength: 500, description: 'URL or site path of the image' });
const SortOrder = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 });

/** What a create or a change may set besides slug and title. */
const Fields = {
  content: OptionalNullable(LocalizedTextInput(200_000)),
  excerpt: OptionalNullable(LocalizedTextInput(1000)),
  blocks: Type.Optional(Type.Union([Blocks, Type.Null()])),
  meta_title: OptionalNullable(LocalizedTextInput(200)),
  meta_description: OptionalNullable(LocalizedTextInput(500)),
  meta_keywords: OptionalNullable(LocalizedTextInput(500)),
  og_image: Type.Optional(Type.Union([ImageRef, Type.Null()])),
  canonical_url: Type.Optional(Type.Union([Url, Type.Null()])),
  parent_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  sort_order: Type.Optional(SortOrder),
};

export const PageCreate = Type.Object(
  { slug: Slug, title: LocalizedTextInput(200), ...Fields },
  { additionalProperties: false },
);
export type PageCreate = Static<typeof PageCreate>;

export const PagePatch = Type.Object(
  {
    version: Version,
    slug: Type.Optional(Slug),
    title: Type.Optional(LocalizedTextInput(200)),
    ...Fields,
  },
  { additionalProperties: false },
);
export type PagePatch = Static<typeof PagePatch>;

const Status = literals(PAGE_STATUSES);

export const PageListQuery = Type.Object({
  status: Type.Optional(Status),
  parent_id: Type.Optional(
    Type.Union([Uuid, Type.Literal('root')], { description: '"root": top-level pages' }),
  ),
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Words in title or content, or part of the slug' }),
  ),
  deleted: Type.Optional(
    Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
      default: 'exclude',
      description: '"only" is the trash',
    }),
  ),
  sort: Type.Optional(Type.Union(literals(PAGE_SORTS).anyOf, { default: '-updated_at' })),
  ...pageQuery({ default: 25, max: 100 }),
});
export type PageListQuery = Static<typeof PageListQuery>;

export const ReorderItem = Type.Object(
  {
    id: Uuid,
    parent_id: Type.Union([Uuid, Type.Null()]),
    sort_order: SortOrder,
    version: Type.Optional(Version),
  },
  { additionalProperties: false },
);
export type ReorderItem = Static<typeof ReorderItem>;
export const ReorderBody = Type.Array(ReorderItem, { minItems: 1, maxItems: 1000 });

export const VersionQuery = Type.Object({ version: Type.Optional(Version) });
export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const ScheduleBody = Type.Object(
  { version: Version, scheduled_at: Timestamp },
  { additionalProperties: false },
);
export type TransitionInput = Partial<Static<typeof ScheduleBody>> & Static<typeof VersionBody>;
export const HistoryQuery = Type.Object({ ...pageQuery({ default: 50, max: 200 }) });
export const HistoryRestoreParams = Type.Object({ id: Uuid, audit_id: Uuid });

const NullableText = Type.Union([LocalizedText, Type.Null()]);

export const PageSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  path: Type.String({ description: 'Full path from the root, e.g. /services/ai-audit' }),
  title: LocalizedText,
  content: NullableText,
  excerpt: NullableText,
  blocks: Type.Unknown({ description: 'Array of blocks or null' }),
  meta_title: NullableText,
  meta_description: NullableText,
  meta_keywords: NullableText,
  og_image: NullableString,
  canonical_url: NullableString,
  status: Type.String(),
  published_at: NullableTimestamp,
  scheduled_at: NullableTimestamp,
  parent_id: Type.Union([Uuid, Type.Null()]),
  sort_order: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
  created_by: Uuid,
  updated_by: Uuid,
  deleted_at: NullableTimestamp,
  version: Type.Integer(),
});
/** A page as the API answers it. */
export type PageView = Static<typeof PageSchema>;

/**
 * A page as the list answers it: what the panel's lists and pickers show (title, path, status, dates, place in the
 * tree, version), without its content, blocks, excerpt and SEO fields; GET /api/v1/pages/:id has those.
 */
export const PageSummarySchema = Type.Object(
  {
    id: Uuid,
    slug: Type.String(),
    path: Type.String({ description: 'Full path from the root, e.g. /services/ai-audit' }),
    title: LocalizedText,
    status: Type.String(),
    published_at: NullableTimestamp,
    scheduled_at: NullableTimestamp,
    parent_id: Type.Union([Uuid, Type.Null()]),
    sort_order: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: NullableTimestamp,
    version: Type.Integer(),
  },
  {
    description:
      'A page without its content, blocks, excerpt and SEO fields (GET /api/v1/pages/:id has them)',
  },
);
export type PageSummary = Static<typeof PageSummarySchema>;

export const TreeNodeSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  path: Type.String(),
  title: LocalizedText,
  status: Type.String(),
  sort_order: Type.Integer(),
  version: Type.Integer(),
  children: Type.Array(Type.Unknown(), { description: 'Nodes of the same shape, one level down' }),
});
/** The schema says `children` loosely (JSON Schema without recursion); they are nodes of the same shape. */
export type TreeNode = Omit<Static<typeof TreeNodeSchema>, 'children'> & { children: TreeNode[] };

export const HistoryEntrySchema = Type.Object({
  id: Uuid,
  event_type: Type.String({ description: 'INSERT, UPDATE, SOFT_DELETE, RESTORE or DELETE' }),
  created_at: Timestamp,
  user_id: Type.Union([Uuid, Type.Null()]),
  user_email: NullableString,
  changed_fields: Type.Union([Type.Array(Type.String()), Type.Null()]),
  old_values: Type.Unknown(),
  new_values: Type.Unknown(),
});
export type HistoryEntry = Static<typeof HistoryEntrySchema>;
