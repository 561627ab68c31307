import type { PublicConsultant } from '../../modules/consultants/index.ts';
import type { SiteContext } from '../context.ts';
import type { MediaMap } from '../image.tsx';

/**
 * A block once its texts are in the page's language: `{ type, ...fields }` with strings where the API has
 * `{en, de}`. Fields are read through the helpers below, which tolerate what an older page may lack.
 */
export type ResolvedBlock = { type: string } & Record<string, unknown>;

/** What every block component gets. */
export interface BlockProps {
  block: ResolvedBlock;
  ctx: SiteContext;
  media: MediaMap;
  /** The consultants the page's consultant lists show, by id, in the page's language. */
  consultants: ReadonlyMap<string, PublicConsultant>;
  /** The first block: its image is above the fold. */
  first: boolean;
  /** The block opens the page: its heading is the page's h1. */
  title?: boolean;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

export function link(value: unknown): { label: string; href: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { label, href } = value as Record<string, unknown>;
  const l = text(label);
  const h = text(href);
  return l && h ? { label: l, href: h } : undefined;
}

/** The heading level of a block's items: under the block's own h2, or h2 themselves when it has none. */
export function itemHeading(blockHeading: string | undefined): 'h2' | 'h3' {
  return blockHeading ? 'h3' : 'h2';
}
