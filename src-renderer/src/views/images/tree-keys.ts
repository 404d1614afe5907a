/**
 * The file tree's keyboard, after the WAI-ARIA tree view pattern, as a pure function
 * of the visible rows: which row a key moves to, or which folders it opens or closes.
 */
import type { FileTreeNode } from '../../../../src-shared/images';

/** A visible row: a node with its place among its siblings (the tree is virtualised, so the DOM cannot say). */
export interface TreeRow {
  readonly node: FileTreeNode;
  readonly depth: number;
  readonly posInSet: number;
  readonly setSize: number;
}

export type TreeKeyAction =
  | { readonly kind: 'focus'; readonly index: number }
  | { readonly kind: 'toggle'; readonly path: string }
  | { readonly kind: 'expand'; readonly paths: readonly string[] };

/** The rows on screen: the tree with only expanded folders opened up. */
export function visibleRows(root: FileTreeNode, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: FileTreeNode, depth: number): void => {
    node.children.forEach((child, i) => {
      rows.push({ node: child, depth, posInSet: i + 1, setSize: node.children.length });
      if (isFolder(child) && expanded.has(child.path)) walk(child, depth + 1);
    });
  };
  walk(root, 0);
  return rows;
}

export function isFolder(node: FileTreeNode): boolean {
  return node.children.length > 0;
}

/** The nearest row above `at` one level up, or -1 at the top level. */
function parentOf(rows: readonly TreeRow[], at: number): number {
  const depth = rows[at]!.depth;
  for (let i = at - 1; i >= 0; i--) if (rows[i]!.depth < depth) return i;
  return -1;
}

/** Folders among the row's siblings that are still closed (for `*`). */
function closedSiblings(rows: readonly TreeRow[], at: number, expanded: ReadonlySet<string>): string[] {
  const parent = parentOf(rows, at);
  const depth = rows[at]!.depth;
  const paths: string[] = [];
  for (let i = parent + 1; i < rows.length && rows[i]!.depth >= depth; i++) {
    const { node } = rows[i]!;
    if (rows[i]!.depth === depth && isFolder(node) && !expanded.has(node.path)) paths.push(node.path);
  }
  return paths;
}

/** The next row after `at` (wrapping) whose name starts with `letter`: type-ahead. */
function nextByLetter(rows: readonly TreeRow[], at: number, letter: string): number {
  const wanted = letter.toLowerCase();
  for (let step = 1; step <= rows.length; step++) {
    const i = (at + step) % rows.length;
    if (rows[i]!.node.name.toLowerCase().startsWith(wanted)) return i;
  }
  return -1;
}

export function treeKeyAction(key: string, rows: readonly TreeRow[], at: number, expanded: ReadonlySet<string>): TreeKeyAction | null {
  const row = rows[at];
  if (!row) return null;
  const folder = isFolder(row.node);
  const open = folder && expanded.has(row.node.path);
  const focus = (index: number): TreeKeyAction | null => (index >= 0 && index < rows.length && index !== at ? { kind: 'focus', index } : null);
  switch (key) {
    case 'ArrowDown':
      return focus(at + 1);
    case 'ArrowUp':
      return focus(at - 1);
    case 'Home':
      return focus(0);
    case 'End':
      return focus(rows.length - 1);
    case 'ArrowRight':
      if (!folder) return null;
      return open ? focus(at + 1) : { kind: 'toggle', path: row.node.path };
    case 'ArrowLeft':
      return open ? { kind: 'toggle', path: row.node.path } : focus(parentOf(rows, at));
    case 'Enter':
      return folder ? { kind: 'toggle', path: row.node.path } : null;
    case '*': {
      const paths = closedSiblings(rows, at, expanded);
      return paths.length > 0 ? { kind: 'expand', paths } : null;
    }
    default:
      return key.length === 1 && key !== ' ' ? focus(nextByLetter(rows, at, key)) : null;
  }
}
