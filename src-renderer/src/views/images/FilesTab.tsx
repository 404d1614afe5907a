import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FileTreeNode, OpenedImage } from '../../../../src-main/engine/images-browse/types';
import { api } from '../../api/api';
import { formatBytes } from '../../format';
import { ErrorNote } from '../../components/ErrorNote';

const ROW_HEIGHT = 26;
const MARK_LETTER = { added: 'A', modified: 'M', removed: 'D', unchanged: ' ' } as const;

interface Row {
  readonly node: FileTreeNode;
  readonly depth: number;
}

/** The rows on screen: the tree with only expanded directories opened up. */
function visibleRows(root: FileTreeNode, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const walk = (node: FileTreeNode, depth: number): void => {
    for (const child of node.children) {
      rows.push({ node: child, depth });
      if (child.children.length > 0 && expanded.has(child.path)) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** Directories opened at first: the first two levels, so the store paths show. */
function initialExpansion(root: FileTreeNode): Set<string> {
  const open = new Set<string>();
  for (const a of root.children) {
    open.add(a.path);
    for (const b of a.children) if (b.children.length > 0) open.add(b.path);
  }
  return open;
}

/** One layer's file tree: added / modified / removed marks, sort by size on demand, filter by path. */
export function FilesTab({ image }: { readonly image: OpenedImage }) {
  const id = useId();
  const [layer, setLayer] = useState(image.layers.length - 1);
  const [sort, setSort] = useState<'name' | 'size'>('name');
  const [filter, setFilter] = useState('');
  const [tree, setTree] = useState<FileTreeNode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  useEffect(() => {
    let current = true;
    api.request('images:tree', { id: image.id, layer, sort, ...(filter ? { filter } : {}) }).then(
      (root) => {
        if (!current) return;
        setTree(root);
        setExpanded(initialExpansion(root));
        setError(null);
      },
      (err: unknown) => current && setError((err as Error).message),
    );
    return () => {
      current = false;
    };
  }, [image.id, layer, sort, filter]);

  const rows = useMemo(() => (tree ? visibleRows(tree, expanded) : []), [tree, expanded]);
  const toggle = (path: string): void =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <div className="images-files">
      <div className="images-toolbar">
        <label htmlFor={`${id}-layer`}>
          Layer
          <select id={`${id}-layer`} value={layer} onChange={(e) => setLayer(Number(e.target.value))}>
            {image.layers.map((l) => (
              <option key={l.index} value={l.index}>
                {l.index + 1}: {l.digest.slice(7, 19)} ({formatBytes(l.fileBytes)}, {l.fileCount} entries)
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-filter`}>
          Filter by path
          <input id={`${id}-filter`} value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="bin/bash" spellCheck={false} autoComplete="off" />
        </label>
        <button type="button" aria-pressed={sort === 'size'} onClick={() => setSort(sort === 'size' ? 'name' : 'size')}>
          {sort === 'size' ? 'Sorted by size' : 'Sort by size'}
        </button>
      </div>
      <ErrorNote message={error} />
      {tree ? <TreeRows rows={rows} expanded={expanded} onToggle={toggle} /> : <p className="muted">Reading the layer's index…</p>}
      <p className="muted images-legend">A added · M modified · D removed (by a whiteout) — against the layers below this one.</p>
    </div>
  );
}

function TreeRows({ rows, expanded, onToggle }: { readonly rows: readonly Row[]; readonly expanded: ReadonlySet<string>; readonly onToggle: (path: string) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 15 });
  if (rows.length === 0) return <p className="muted">No entries match.</p>;
  return (
    <div className="images-tree" ref={scroller} role="tree" aria-label="Layer files">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const { node, depth } = rows[item.index]!;
          const isDir = node.children.length > 0;
          return (
            <div
              key={node.path}
              role="treeitem"
              aria-level={depth + 1}
              aria-expanded={isDir ? expanded.has(node.path) : undefined}
              aria-selected={false}
              tabIndex={0}
              className={`images-tree-row mark-${node.mark}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              onClick={() => isDir && onToggle(node.path)}
              onKeyDown={(e) => {
                if (isDir && (e.key === 'Enter' || e.key === ' ' || (e.key === 'ArrowRight' && !expanded.has(node.path)) || (e.key === 'ArrowLeft' && expanded.has(node.path)))) {
                  e.preventDefault();
                  onToggle(node.path);
                }
              }}
            >
              <span className="images-mark" title={node.mark}>
                {MARK_LETTER[node.mark]}
              </span>
              <span className="images-size">{formatBytes(node.size)}</span>
              <span className="images-name" style={{ paddingLeft: depth * 16 }}>
                {isDir ? (expanded.has(node.path) ? '▾ ' : '▸ ') : '  '}
                {node.name}
                {node.link ? <span className="muted"> → {node.link}</span> : null}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
