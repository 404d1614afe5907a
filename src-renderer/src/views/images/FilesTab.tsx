import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { FileTreeNode, OpenedImage } from '../../../../src-shared/images';
import { api } from '../../api/api';
import { formatBytes } from '../../format';
import { ErrorNote } from '../../components/ErrorNote';
import { layerLabel } from './layer-label';
import { isFolder, treeKeyAction, visibleRows, type TreeRow } from './tree-keys';

const ROW_HEIGHT = 26;
const MARK_LETTER = { added: 'A', modified: 'M', removed: 'D', unchanged: ' ' } as const;

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
  const expand = (paths: readonly string[]): void => setExpanded((old) => new Set([...old, ...paths]));

  return (
    <div className="images-files">
      <div className="images-toolbar">
        <label htmlFor={`${id}-layer`}>
          Layer
          <select id={`${id}-layer`} value={layer} onChange={(e) => setLayer(Number(e.target.value))}>
            {image.layers.map((l) => (
              <option key={l.index} value={l.index}>
                {layerLabel(l.index)}: {l.digest.slice(7, 19)} ({formatBytes(l.fileBytes)}, {l.fileCount} entries)
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
      {tree ? <TreeRows rows={rows} expanded={expanded} onToggle={toggle} onExpand={expand} /> : <p className="muted">Reading the layer's index…</p>}
      <p className="muted images-legend">A added · M modified · D removed (by a whiteout) — against the layers below this one.</p>
    </div>
  );
}

interface TreeRowsProps {
  readonly rows: readonly TreeRow[];
  readonly expanded: ReadonlySet<string>;
  readonly onToggle: (path: string) => void;
  readonly onExpand: (paths: readonly string[]) => void;
}

/**
 * The tree as one Tab stop (roving tabindex): the active row holds tabindex 0 and is
 * always rendered, even when scrolled out of the virtualised window, so Tab always
 * lands on it; keys move it (tree-keys.ts) and the list scrolls it into view.
 * Selection follows focus once a row has been picked.
 */
function TreeRows({ rows, expanded, onToggle, onExpand }: TreeRowsProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [activePath, setActivePath] = useState<string | null>(null);
  const found = useMemo(() => (activePath === null ? -1 : rows.findIndex((r) => r.node.path === activePath)), [rows, activePath]);
  const active = Math.max(found, 0);
  const focusActive = useRef(false);
  const rangeExtractor = useCallback((range: Range) => [...new Set([active, ...defaultRangeExtractor(range)])].sort((a, b) => a - b), [active]);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 15, rangeExtractor });

  useEffect(() => {
    if (!focusActive.current) return;
    focusActive.current = false;
    virtualizer.scrollToIndex(active, { align: 'auto' });
    scroller.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus({ preventScroll: true });
  }, [active, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const action = treeKeyAction(event.key, rows, active, expanded);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'focus') {
      focusActive.current = true;
      setActivePath(rows[action.index]!.node.path);
    } else if (action.kind === 'toggle') onToggle(action.path);
    else onExpand(action.paths);
  };

  if (rows.length === 0) return <p className="muted">No entries match.</p>;
  return (
    <div className="images-tree" ref={scroller} role="tree" aria-label="Layer files" onKeyDown={onKeyDown}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const { node, depth, posInSet, setSize } = rows[item.index]!;
          const folder = isFolder(node);
          const open = folder && expanded.has(node.path);
          return (
            <div
              key={node.path}
              data-index={item.index}
              role="treeitem"
              aria-level={depth + 1}
              aria-posinset={posInSet}
              aria-setsize={setSize}
              aria-expanded={folder ? open : undefined}
              aria-selected={activePath !== null && item.index === active}
              tabIndex={item.index === active ? 0 : -1}
              className={`images-tree-row mark-${node.mark}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              onClick={() => {
                setActivePath(node.path);
                if (folder) onToggle(node.path);
              }}
            >
              <span className="images-mark" title={node.mark}>
                {MARK_LETTER[node.mark]}
              </span>
              <span className="images-size">{formatBytes(node.size)}</span>
              <span className="images-name" style={{ paddingLeft: depth * 16 }}>
                {folder ? (open ? '▾ ' : '▸ ') : '  '}
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
