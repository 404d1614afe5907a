/**
 * One layer's changes as a tree, as dive shows them: each entry of the layer
 * marked added (nothing was there below), modified (it replaces something from
 * the layers below) or unchanged (a directory that was already there, same
 * mode); whiteouts and opaque directories as the paths they remove, marked
 * removed, with the size of what disappears. Directories carry the size of
 * what they hold. Pure: everything comes from the report.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { FileKind, FileFlag, LayerFile } from '../../../src-shared/layer-file.js';
import { MergedTree } from './merged-tree.js';
import type { ImageReport } from '../../../src-shared/image-report.js';
import { baseOf, whiteoutOf } from './tar-path.js';
import type { ChangeMark, FileTreeNode } from '../../../src-shared/image-report.js';

export interface FileTreeOptions {
  /** `name`: byte order of names; `size`: largest first. */
  readonly sort?: 'name' | 'size';
  /** Keep only paths containing this text (and what is below a matching directory). */
  readonly filter?: string;
}

interface MutableNode {
  name: string;
  path: string;
  kind: FileKind;
  size: number;
  mark: ChangeMark;
  link?: string;
  flags?: readonly FileFlag[];
  children: Map<string, MutableNode>;
}

export function fileTree(report: ImageReport, layer: number, options: FileTreeOptions = {}): FileTreeNode {
  const target = report.layers[layer];
  if (!target) {
    throw new LaminaError(`the image has ${report.layers.length} layers (0 to ${report.layers.length - 1}); there is no layer ${layer}`, 'no-layer');
  }
  const below = new MergedTree();
  for (const lower of report.layers.slice(0, layer)) below.apply(lower.files);

  const own = new Set(target.files.map((f) => f.path));
  const root: MutableNode = { name: '', path: '', kind: 'directory', size: 0, mark: 'unchanged', children: new Map() };
  for (const file of target.files) {
    const whiteout = file.kind === 'whiteout' || file.kind === 'opaque' ? whiteoutOf(file.path) : undefined;
    if (whiteout?.kind === 'whiteout') {
      const gone = below.get(whiteout.target);
      place(root, { path: whiteout.target, kind: gone?.kind ?? 'whiteout', size: subtreeBytes(below, whiteout.target), mark: 'removed' }, below);
    } else if (whiteout?.kind === 'opaque') {
      for (const child of below.childrenOf(whiteout.dir)) {
        if (own.has(child)) continue;
        place(root, { path: child, kind: below.get(child)?.kind ?? 'directory', size: subtreeBytes(below, child), mark: 'removed' }, below);
      }
    } else {
      place(root, { ...file, mark: markOf(file, below) }, below);
    }
  }
  sumDirectories(root);
  const kept = options.filter ? pruned(root, options.filter) : root;
  return frozen(kept ?? { ...root, children: new Map() }, options.sort ?? 'name');
}

function markOf(file: LayerFile, below: MergedTree): ChangeMark {
  if (!below.has(file.path)) return 'added';
  // A directory that the tars below only implied has no mode to differ from.
  const lower = below.get(file.path) ?? { kind: 'directory', mode: file.mode };
  if (file.kind === 'directory' && lower.kind === 'directory' && file.mode === lower.mode) return 'unchanged';
  return 'modified';
}

function subtreeBytes(tree: MergedTree, path: string): number {
  let bytes = tree.get(path)?.kind === 'file' ? tree.get(path)!.size : 0;
  for (const child of tree.below(path)) {
    const entry = tree.get(child);
    if (entry?.kind === 'file') bytes += entry.size;
  }
  return bytes;
}

/** Puts a node at its path, creating the directories above it that the layer does not list. */
function place(root: MutableNode, node: Omit<MutableNode, 'name' | 'children'>, below: MergedTree): void {
  let parent = root;
  const parts = node.path.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    const name = parts[depth - 1]!;
    let next = parent.children.get(name);
    if (!next) {
      const path = parts.slice(0, depth).join('/');
      next = { name, path, kind: 'directory', size: 0, mark: below.has(path) ? 'unchanged' : 'added', children: new Map() };
      parent.children.set(name, next);
    }
    parent = next;
  }
  const existing = parent.children.get(baseOf(node.path));
  // A removal of the path and a new entry in the same layer: the new entry is what the layer shows.
  if (existing && node.mark === 'removed' && existing.mark !== 'removed') return;
  parent.children.set(baseOf(node.path), { ...node, name: baseOf(node.path), children: existing?.children ?? new Map() });
}

function sumDirectories(node: MutableNode): number {
  if (node.children.size === 0) return node.size;
  let bytes = 0;
  for (const child of node.children.values()) bytes += sumDirectories(child);
  if (node.mark !== 'removed') node.size = bytes;
  return node.size;
}

function pruned(node: MutableNode, filter: string): MutableNode | undefined {
  if (node.path !== '' && node.path.includes(filter)) return node;
  const children = new Map<string, MutableNode>();
  for (const [name, child] of node.children) {
    const kept = pruned(child, filter);
    if (kept) children.set(name, kept);
  }
  if (children.size === 0 && node.path !== '') return undefined;
  return { ...node, children };
}

function frozen(node: MutableNode, sort: 'name' | 'size'): FileTreeNode {
  const children = [...node.children.values()].map((child) => frozen(child, sort));
  children.sort(sort === 'size' ? (a, b) => b.size - a.size || byName(a, b) : byName);
  return {
    name: node.name,
    path: node.path,
    kind: node.kind,
    size: node.size,
    mark: node.mark,
    ...(node.link !== undefined ? { link: node.link } : {}),
    ...(node.flags ? { flags: node.flags } : {}),
    children,
  };
}

function byName(a: { name: string }, b: { name: string }): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}
