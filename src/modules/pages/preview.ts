import type { Kysely } from 'kysely';
import Type, { type Static } from 'typebox';
import { LocalizedTextInput } from '../../platform/http/schemas.ts';
import { BlockSchema } from './blocks.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { PublishedPage } from './published.ts';
import { ancestorsOf } from './repository/published.ts';
import { pageForPreview } from './repository/preview.ts';

const MAX_DEPTH = 32;

/**
 * What a preview shows of a page: the page as saved (a draft, a scheduled or archived page, a published one),
 * under its parents whatever their status. Only for staff's signed preview links.
 */
export class PagePreviews {
  constructor(private readonly db: Kysely<DB>) {}

  /** The page (not deleted) with the pages above it, from the root down; undefined when there is none. */
  async page(id: string): Promise<PublishedPage | undefined> {
    const page = await pageForPreview(this.db, id);
    if (!page) return undefined;
    const ancestors = page.parent_id ? await ancestorsOf(this.db, page.parent_id, MAX_DEPTH) : [];
    const chain = [...ancestors].reverse().map((a) => ({ slug: a.slug, title: a.title }));
    return { page, chain };
  }
}

/** Unsaved changes a preview shows over the saved page (what the editor holds): the fields the site renders. */
export const PreviewChanges = Type.Object(
  {
    title: Type.Optional(LocalizedTextInput(200)),
    content: Type.Optional(Type.Union([LocalizedTextInput(200_000), Type.Null()])),
    excerpt: Type.Optional(Type.Union([LocalizedTextInput(1000), Type.Null()])),
    blocks: Type.Optional(Type.Union([Type.Array(BlockSchema, { maxItems: 200 }), Type.Null()])),
    meta_title: Type.Optional(Type.Union([LocalizedTextInput(200), Type.Null()])),
    meta_description: Type.Optional(Type.Union([LocalizedTextInput(500), Type.Null()])),
    og_image: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false, description: 'Fields of the page as the editor holds them, unsaved' },
);
export type PreviewChanges = Static<typeof PreviewChanges>;
