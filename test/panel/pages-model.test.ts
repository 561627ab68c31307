// The pages editor's pure parts: what a save sends (empty optional fields left out, every block type cleaned by
// its own fields), where two states of a page differ (by language for texts), the tree's moves and what a
// reorder sends, and wall-clock times in the user's zone across clock changes.
import { describe, expect, it } from 'vitest';
import {
  BLOCK_FIELDS,
  cleanBlock,
  differingPaths,
  emptyBlock,
  toCreateBody,
  toUpdateBody,
  type TreeNodeRecord,
} from '../../admin/src/resources/pages/model.ts';
import { canDrop, dropped, moved, reorderBody } from '../../admin/src/resources/pages/tree.ts';
import { instantToZoned, zonedToInstant } from '../../admin/src/resources/pages/zone.ts';
import { BLOCK_SCHEMAS, checkBlockShapes } from '../../src/modules/pages/blocks.ts';

describe('the page model', () => {
  it('knows every block type of the API, with the same fields', () => {
    expect(Object.keys(BLOCK_FIELDS).sort()).toEqual(Object.keys(BLOCK_SCHEMAS).sort());
    for (const [type, schema] of Object.entries(BLOCK_SCHEMAS)) {
      const fields = Object.keys(schema.properties).filter((name) => name !== 'type');
      expect(Object.keys(BLOCK_FIELDS[type as keyof typeof BLOCK_FIELDS]).sort(), type).toEqual(
        fields.sort(),
      );
    }
  });

  it('cleans a block as the form holds it into one the API takes', () => {
    const hero = cleanBlock({
      ...emptyBlock('hero'),
      heading: { en: 'Welcome', de: null },
      subheading: { en: '', de: '' },
      media_id: null,
      cta: { label: { en: '', de: '' }, href: '' },
    });
    expect(hero).toEqual({ type: 'hero', heading: { en: 'Welcome' } });
    expect(() => {
      checkBlockShapes([hero]);
    }).not.toThrow();

    const faq = cleanBlock({
      type: 'faq',
      heading: { en: 'FAQ', de: 'Häufige Fragen' },
      items: [{ question: { en: 'Why?', de: 'Warum?' }, answer: { en: 'Because.' } }],
    });
    expect(faq).toEqual({
      type: 'faq',
      heading: { en: 'FAQ', de: 'Häufige Fragen' },
      items: [{ question: { en: 'Why?', de: 'Warum?' }, answer: { en: 'Because.' } }],
    });
    // A block of a type the panel does not know is kept as it is.
    expect(cleanBlock({ type: 'future', x: 1 })).toEqual({ type: 'future', x: 1 });
  });

  it('sends nullable texts as null when emptied, and only the changed fields of an update', () => {
    expect(
      toCreateBody({
        slug: ' about ',
        title: { en: 'About', de: '' },
        excerpt: { en: '', de: '' },
        blocks: [],
      }),
    ).toEqual({ slug: 'about', title: { en: 'About' }, blocks: [] });
    expect(toUpdateBody({ excerpt: { en: '' }, parent_id: '', status: 'published' })).toEqual({
      excerpt: null,
      parent_id: null,
    });
  });

  it('tells the changes of two states by language for texts, by field for the rest', () => {
    const loaded = {
      title: { en: 'Team', de: 'Team' },
      excerpt: null,
      blocks: [{ type: 'text', body: { en: 'a' } }],
    };
    const mine = { ...loaded, title: { en: 'Team', de: 'Unser Team' }, excerpt: { en: '', de: '' } };
    expect(differingPaths(mine, loaded)).toEqual(['title.de']);
    const blocks = { ...loaded, blocks: [{ type: 'text', body: { en: 'b' } }] };
    expect(differingPaths(blocks, loaded)).toEqual(['blocks']);
  });
});

function node(id: string, children: TreeNodeRecord[] = []): TreeNodeRecord {
  return {
    id,
    slug: id,
    path: `/${id}`,
    title: { en: id },
    status: 'draft',
    sort_order: 0,
    version: 1,
    children,
  };
}

describe('the page tree', () => {
  const tree = [node('a', [node('a1'), node('a2')]), node('b'), node('c')];

  it('moves a page up, down, in and out', () => {
    const ids = (nodes: TreeNodeRecord[]): unknown =>
      nodes.map((n) => (n.children.length ? [n.id, ids(n.children)] : n.id));
    expect(ids(moved(tree, 'c', 'up'))).toEqual([['a', ['a1', 'a2']], 'c', 'b']);
    expect(ids(moved(tree, 'b', 'indent'))).toEqual([['a', ['a1', 'a2', 'b']], 'c']);
    expect(ids(moved(tree, 'a1', 'outdent'))).toEqual([['a', ['a2']], 'a1', 'b', 'c']);
    expect(moved(tree, 'a', 'up')).toBe(tree);
  });

  it('drops before, after and inside, never into the page itself', () => {
    expect(canDrop(tree, 'a', 'a1')).toBe(false);
    expect(dropped(tree, 'a', 'a2', 'inside')).toBe(tree);
    const next = dropped(tree, 'c', 'a1', 'after');
    expect(next[0]?.children.map((n) => n.id)).toEqual(['a1', 'c', 'a2']);
  });

  it('sends each changed sibling group, numbered in its new order, with the versions it read', () => {
    const next = moved(tree, 'c', 'up');
    expect(reorderBody(tree, next)).toEqual([
      { id: 'a', parent_id: null, sort_order: 10, version: 1 },
      { id: 'c', parent_id: null, sort_order: 20, version: 1 },
      { id: 'b', parent_id: null, sort_order: 30, version: 1 },
    ]);
    expect(reorderBody(tree, tree)).toEqual([]);
  });
});

describe('times in the user’s zone', () => {
  it('turns a wall-clock time into its instant and back, across the clock changes', () => {
    expect(zonedToInstant('2027-01-15T10:00', 'America/New_York')?.toISOString()).toBe(
      '2027-01-15T15:00:00.000Z',
    );
    expect(zonedToInstant('2027-07-15T10:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2027-07-15T08:00:00.000Z',
    );
    // 02:30 does not exist in Berlin on 28 March 2027: the time after the gap.
    expect(zonedToInstant('2027-03-28T02:30', 'Europe/Berlin')?.toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
    expect(instantToZoned(new Date('2027-10-31T00:30:00Z'), 'Europe/Berlin')).toBe('2027-10-31T02:30');
    expect(zonedToInstant('not a time', 'UTC')).toBeNull();
  });
});
