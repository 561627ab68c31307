import Type, { type Static } from 'typebox';
import { pageOf, pageQuery } from '../../platform/http/pagination.ts';
import { NullableTimestamp, Timestamp, Uuid } from '../../platform/http/schemas.ts';

// The schemas of the public read API (and the staff search over pages); every type of it is derived from them.

export const MAX_QUERY_LENGTH = 200;

export const Lang = Type.Union([Type.Literal('en'), Type.Literal('de')], {
  description: 'The language to answer in; without it, the best match of Accept-Language (else en)',
});
const Fallbacks = Type.Array(Type.String(), {
  description: 'JSON paths of the fields that had no text in `lang` and are given in English instead',
});
/** A translatable field once resolved to one language. */
const Text = Type.Union([Type.String(), Type.Array(Type.String()), Type.Null()]);
export type Text = Static<typeof Text>;

export const PublicPage = Type.Object({
  id: Uuid,
  slug: Type.String(),
  lang: Lang,
  path: Type.String({ description: 'The full path through the parent pages, e.g. /services/ai-audit' }),
  breadcrumbs: Type.Array(Type.Object({ slug: Type.String(), title: Text, path: Type.String() })),
  title: Text,
  excerpt: Text,
  content: Type.Union([Type.String(), Type.Null()], { description: 'Markdown' }),
  blocks: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: '{type, ...fields}, every text field in `lang`; media by media_id',
  }),
  meta_title: Text,
  meta_description: Text,
  meta_keywords: Text,
  og_image: Type.Union([Type.String(), Type.Null()]),
  canonical_url: Type.Union([Type.String(), Type.Null()]),
  published_at: NullableTimestamp,
  updated_at: NullableTimestamp,
  version: Type.Integer(),
  fallbacks: Fallbacks,
});

const NavItem = Type.Object({
  id: Uuid,
  slug: Type.String(),
  title: Text,
  path: Type.String(),
  child_count: Type.Integer({
    minimum: 0,
    description:
      'How many published pages are directly under it; `children` holds at most `limit` of them, none at the last level asked for',
  }),
  children: Type.Array(Type.Unknown(), { description: 'Items of the same shape, by sort_order' }),
});
export const Navigation = Type.Object({
  lang: Lang,
  parent: Type.Union([Type.String(), Type.Null()], {
    description: 'The slug asked for, null for the top level',
  }),
  total: Type.Integer({ minimum: 0, description: 'How many published pages are directly under the parent' }),
  items: Type.Array(NavItem),
  fallbacks: Fallbacks,
});

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) });

export const NAV_DEPTH = { default: 2, max: 5 };
export const NAV_LIMIT = { default: 50, max: 200 };
export const NavigationQuery = Type.Object({
  lang: Type.Optional(Lang),
  parent: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The slug of the page whose subtree to answer; without it, the top level of the site',
    }),
  ),
  depth: Type.Integer({
    minimum: 1,
    maximum: NAV_DEPTH.max,
    default: NAV_DEPTH.default,
    description: 'How many levels below the parent',
  }),
  limit: Type.Integer({
    minimum: 1,
    maximum: NAV_LIMIT.max,
    default: NAV_LIMIT.default,
    description:
      'At most this many pages under each page (the first by sort_order); child_count tells how many there are',
  }),
});
export type NavigationQuery = Static<typeof NavigationQuery>;
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'Words, "a phrase", -not, or' }),
  lang: Type.Optional(Lang),
  ...pageQuery({ default: 10, max: 50 }),
});
export type SearchQuery = Static<typeof SearchQuery>;

const hitFields = {
  id: Uuid,
  slug: Type.String(),
  title: Text,
  snippet: Type.String({ description: 'HTML: the hits in <mark>…</mark>, everything else escaped' }),
  rank: Type.Number(),
  published_at: NullableTimestamp,
  fallbacks: Fallbacks,
};
export const PublicHit = Type.Object({ ...hitFields, path: Type.String() });
export type PublicHit = Static<typeof PublicHit>;
export const AdminHit = Type.Object({ ...hitFields, status: Type.String(), updated_at: Timestamp });
export type AdminHit = Static<typeof AdminHit>;
export const PublicHits = pageOf(PublicHit);
export const AdminHits = pageOf(AdminHit);
