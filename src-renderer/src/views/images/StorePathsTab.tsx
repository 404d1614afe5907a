import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState } from 'react';
import type { OpenedImage } from '../../../../src-shared/images';
import { storeName } from '../../../../src-shared/layer-name';
import { formatBytes } from '../../format';
import { imageLayerTitles } from './image-layer-titles';
import { layerLabel, layerNumbers } from './layer-label';

const PATH_ROW = 30;

type SortKey = 'name' | 'size' | 'layer' | 'neededBy';
const COLUMNS: readonly { key: SortKey; label: string; className?: string }[] = [
  { key: 'name', label: 'Store path' },
  { key: 'size', label: 'Size', className: 'num' },
  { key: 'layer', label: 'Layer' },
  { key: 'neededBy', label: 'Needed by' },
];

type Path = OpenedImage['storePaths'][number];

function compare(key: SortKey): (a: Path, b: Path) => number {
  switch (key) {
    case 'size':
      return (a, b) => b.size - a.size;
    case 'layer':
      return (a, b) => (a.layers[0] ?? -1) - (b.layers[0] ?? -1) || b.size - a.size;
    case 'neededBy':
      return (a, b) => b.neededBy.length - a.neededBy.length || a.name.localeCompare(b.name);
    default:
      return (a, b) => a.name.localeCompare(b.name);
  }
}

/** Every store path of the image, sortable by name, size, layer or how many packages need it; a layer's name says what it holds. */
export function StorePathsTab({ image }: { readonly image: OpenedImage }) {
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [layer, setLayer] = useState<number | 'all'>('all');
  const [sort, setSort] = useState<SortKey>('size');
  const titles = useMemo(() => imageLayerTitles(image), [image]);
  const paths = useMemo(() => {
    const shown = layer === 'all' ? [...image.storePaths] : image.storePaths.filter((p) => p.layers.includes(layer));
    return shown.sort(compare(sort));
  }, [image, layer, sort]);
  const virtualizer = useVirtualizer({ count: paths.length, getScrollElement: () => scroller.current, estimateSize: () => PATH_ROW, overscan: 10 });
  if (image.storePaths.length === 0) return <p className="muted">No Nix store paths in this image.</p>;
  return (
    <div>
      <div className="images-toolbar">
        <label htmlFor={`${id}-layer`}>
          Store paths in
          <select id={`${id}-layer`} value={layer} onChange={(e) => setLayer(e.target.value === 'all' ? 'all' : Number(e.target.value))}>
            <option value="all">every layer ({image.storePaths.length})</option>
            {image.layers.map((l) => (
              <option key={l.index} value={l.index}>
                {layerLabel(l.index)} ({l.storePaths.length})
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="images-paths-head" role="group" aria-label="Sort the store paths">
        {COLUMNS.map((c) => (
          <button key={c.key} type="button" className={`sort-button ${c.className ?? ''}`} aria-pressed={sort === c.key} onClick={() => setSort(c.key)}>
            {c.label}
            <span aria-hidden="true">{sort === c.key ? (c.key === 'name' || c.key === 'layer' ? ' ▲' : ' ▼') : ''}</span>
          </button>
        ))}
      </div>
      <div className="images-paths" ref={scroller} role="table" aria-label="Store paths" aria-rowcount={paths.length} tabIndex={0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="rowgroup">
          {virtualizer.getVirtualItems().map((item) => {
            const p = paths[item.index]!;
            const where = p.layers.map((i) => `${layerLabel(i)}: ${titles[i] ?? ''}`).join('; ');
            return (
              <div key={p.path} role="row" aria-rowindex={item.index + 1} className="images-path-row" style={{ transform: `translateY(${item.start}px)`, height: PATH_ROW }}>
                <code role="cell" title={p.path}>
                  {p.name} <span className="muted">{p.path.slice(11, 19)}…</span>
                </code>
                <span role="cell" className="num" title={p.sizeSource === 'nix-store' ? 'narSize from the local Nix store' : 'bytes of its files in the layers'}>
                  {formatBytes(p.size)}
                  {p.sizeSource === 'nix-store' ? ' nar' : ''}
                </span>
                <span role="cell" title={where}>
                  {layerNumbers(p.layers)}
                  <span className="muted"> {p.layers.length === 1 ? titles[p.layers[0]!] : ''}</span>
                </span>
                <span role="cell" className="muted">
                  {p.neededBy.map(storeName).join(', ') || '—'}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
