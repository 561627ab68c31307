// The page tree as the tree screen edits it before saving: moves up, down, in (under the page above) and out
// (after the parent), and drops before, after or inside another page; then the pages whose place changed, as
// the reorder API takes them.
import type { Body } from '../../api/types.ts';
import type { TreeNodeRecord } from './model.ts';

export type Tree = TreeNodeRecord[];
export type Position = 'before' | 'after' | 'inside';

interface Place {
  parent: TreeNodeRecord | null;
  siblings: TreeNodeRecord[];
  index: number;
}

function clone(tree: Tree): Tree {
  return tree.map((node) => ({ ...node, children: clone(node.children) }));
}

function placeOf(tree: Tree, id: string, parent: TreeNodeRecord | null = null): Place | null {
  for (const [index, node] of tree.entries()) {
    if (node.id === id) return { parent, siblings: tree, index };
    const inner = placeOf(node.children, id, node);
    if (inner) return inner;
  }
  return null;
}

function contains(node: TreeNodeRecord, id: string): boolean {
  return node.children.some((child) => child.id === id || contains(child, id));
}

/** Where the page stands: its parent's id (null at the top), its index and how many siblings it has. */
export function locate(
  tree: Tree,
  id: string,
): { parentId: string | null; index: number; count: number; parent: TreeNodeRecord | null } | null {
  const place = placeOf(tree, id);
  return place
    ? {
        parentId: place.parent?.id ?? null,
        index: place.index,
        count: place.siblings.length,
        parent: place.parent,
      }
    : null;
}

export type Move = 'up' | 'down' | 'indent' | 'outdent';

/** Whether a move is possible for the page. */
export function canMove(tree: Tree, id: string, move: Move): boolean {
  const place = placeOf(tree, id);
  if (!place) return false;
  switch (move) {
    case 'up':
      return place.index > 0;
    case 'down':
      return place.index < place.siblings.length - 1;
    case 'indent':
      return place.index > 0;
    case 'outdent':
      return place.parent !== null;
  }
}

/** The tree after a keyboard move (the same tree when the move is not possible). */
export function moved(tree: Tree, id: string, move: Move): Tree {
  if (!canMove(tree, id, move)) return tree;
  const next = clone(tree);
  const place = placeOf(next, id);
  if (!place) return tree;
  const { siblings, index } = place;
  const [node] = siblings.splice(index, 1);
  if (!node) return tree;
  switch (move) {
    case 'up':
      siblings.splice(index - 1, 0, node);
      break;
    case 'down':
      siblings.splice(index + 1, 0, node);
      break;
    case 'indent': {
      const above = siblings[index - 1];
      above?.children.push(node);
      break;
    }
    case 'outdent': {
      const parent = place.parent;
      if (!parent) return tree;
      const outer = placeOf(next, parent.id);
      outer?.siblings.splice(outer.index + 1, 0, node);
      break;
    }
  }
  return next;
}

/** Whether `id` may be dropped at `target` (not onto itself or into its own subtree). */
export function canDrop(tree: Tree, id: string, targetId: string): boolean {
  if (id === targetId) return false;
  const place = placeOf(tree, id);
  const node = place?.siblings[place.index];
  return node !== undefined && !contains(node, targetId);
}

/** The tree after dropping `id` before, after or inside `target`. */
export function dropped(tree: Tree, id: string, targetId: string, position: Position): Tree {
  if (!canDrop(tree, id, targetId)) return tree;
  const next = clone(tree);
  const from = placeOf(next, id);
  if (!from) return tree;
  const [node] = from.siblings.splice(from.index, 1);
  const to = placeOf(next, targetId);
  if (!node || !to) return tree;
  const target = to.siblings[to.index];
  if (position === 'inside') target?.children.push(node);
  else to.siblings.splice(position === 'before' ? to.index : to.index + 1, 0, node);
  return next;
}

function groups(tree: Tree, parentId: string | null = null, out = new Map<string | null, string[]>()) {
  out.set(
    parentId,
    tree.map((node) => node.id),
  );
  for (const node of tree) groups(node.children, node.id, out);
  return out;
}

function nodes(tree: Tree, out = new Map<string, TreeNodeRecord>()) {
  for (const node of tree) {
    out.set(node.id, node);
    nodes(node.children, out);
  }
  return out;
}

/**
 * What to send to reorderPages: every page of each sibling group whose order or members changed, numbered
 * 10, 20, … in its new order, with the version it was loaded at (a page changed meanwhile answers 409).
 */
export function reorderBody(original: Tree, edited: Tree): Body<'reorderPages'> {
  const before = groups(original);
  const after = groups(edited);
  const versions = nodes(original);
  const items: Body<'reorderPages'> = [];
  for (const [parentId, ids] of after) {
    const was = before.get(parentId) ?? [];
    if (ids.length === was.length && ids.every((id, i) => was[i] === id)) continue;
    ids.forEach((id, index) => {
      const version = versions.get(id)?.version;
      items.push({
        id,
        parent_id: parentId,
        sort_order: (index + 1) * 10,
        ...(version !== undefined ? { version } : {}),
      });
    });
  }
  return items;
}
