import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImageComparison, OpenedImage } from '../../../../src-shared/images';
import { api } from '../../api/api';
import { formatBytes } from '../../format';
import { useImages, type ImageTab } from '../../store/images';
import { FilesTab } from './FilesTab';
import { TreemapTab } from './Treemap';
import { ErrorNote } from '../../components/ErrorNote';
import { imageLayerTitles } from './image-layer-titles';
import { layerLabel, layerNumber, layerNumbers } from './layer-label';
import { StorePathsTab } from './StorePathsTab';
import { Tabs, type TabDef } from './Tabs';

const TABS: readonly TabDef<ImageTab>[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'layers', label: 'Layers' },
  { id: 'files', label: 'Files' },
  { id: 'store-paths', label: 'Store paths' },
  { id: 'efficiency', label: 'Efficiency' },
  { id: 'treemap', label: 'Treemap' },
  { id: 'compare', label: 'Compare' },
];

/** One opened image, a tab at a time. */
export function ImageDetail({ image }: { readonly image: OpenedImage }) {
  const tab = useImages((s) => s.tab);
  const setTab = useImages((s) => s.setTab);
  const id = useId();
  return (
    <section className="card images-detail" aria-labelledby={`${id}-title`}>
      <header className="images-detail-header">
        <h2 id={`${id}-title`}>{image.reference}</h2>
        <p className="muted">
          {image.platform.os}/{image.platform.architecture} · {image.layers.length} layers · {formatBytes(image.compressedSize)} compressed ·{' '}
          {formatBytes(image.uncompressedSize)} unpacked · efficiency {(image.efficiency.efficiency * 100).toFixed(1)}%
        </p>
      </header>
      <Tabs label="Image parts" tabs={TABS} selected={tab} onSelect={setTab} idBase={id} panelClassName="images-panel">
        {tab === 'overview' ? <Overview image={image} /> : null}
        {tab === 'layers' ? <LayersTab image={image} /> : null}
        {tab === 'files' ? <FilesTab key={image.id} image={image} /> : null}
        {tab === 'store-paths' ? <StorePathsTab image={image} /> : null}
        {tab === 'efficiency' ? <EfficiencyTab image={image} /> : null}
        {tab === 'treemap' ? <TreemapTab key={image.id} image={image} /> : null}
        {tab === 'compare' ? <CompareTab image={image} /> : null}
      </Tabs>
    </section>
  );
}

/** The layer each history entry made: entries without `empty_layer` match the layers in order. */
function historyLayers(image: OpenedImage): (number | null)[] {
  let next = 0;
  return image.history.map((h) => (h.empty_layer || next >= image.layers.length ? null : next++));
}

function Overview({ image }: { readonly image: OpenedImage }) {
  const runtime = image.config.config ?? {};
  const made = historyLayers(image);
  return (
    <div className="images-overview">
      <dl className="facts">
        <dt>Manifest</dt>
        <dd>
          <code data-testid="image-manifest-digest">{image.manifestDigest}</code>
        </dd>
        <dt>Config</dt>
        <dd>
          <code>{image.configDigest}</code>
        </dd>
        <dt>Platform</dt>
        <dd>
          {image.platform.os}/{image.platform.architecture}
          {image.indexPlatforms ? <span className="muted"> (picked from an index of {image.indexPlatforms.length} platforms)</span> : null}
        </dd>
        <dt>Top-level packages</dt>
        <dd data-testid="image-roots">{image.roots.length > 0 ? image.roots.map((r) => r.replace(/^\/nix\/store\/[a-z0-9]{32}-/, '')).join(', ') : '—'}</dd>
        <dt>Entrypoint</dt>
        <dd>
          <code>{runtime.Entrypoint ? JSON.stringify(runtime.Entrypoint) : '—'}</code>
        </dd>
        <dt>Command</dt>
        <dd>
          <code>{runtime.Cmd ? JSON.stringify(runtime.Cmd) : '—'}</code>
        </dd>
        <dt>Environment</dt>
        <dd>{runtime.Env?.length ? runtime.Env.map((e) => <code key={e} className="images-env">{e}</code>) : '—'}</dd>
      </dl>
      <h3>History</h3>
      <table className="images-table" aria-label="History">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Created by</th>
            <th scope="col">Layer</th>
          </tr>
        </thead>
        <tbody>
          {image.history.map((h, i) => (
            <tr key={i}>
              <td>{h.created ?? '—'}</td>
              <td>
                <code>{h.created_by ?? h.comment ?? '—'}</code>
              </td>
              <td>{made[i] == null ? <span className="muted">none</span> : layerLabel(made[i])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Manifest JSON</summary>
        <pre className="images-json">{JSON.stringify(image.manifest, null, 2)}</pre>
      </details>
      <details>
        <summary>Config JSON</summary>
        <pre className="images-json">{JSON.stringify(image.config, null, 2)}</pre>
      </details>
    </div>
  );
}

function LayersTab({ image }: { readonly image: OpenedImage }) {
  const titles = imageLayerTitles(image);
  return (
    <table className="images-table" aria-label="Layers">
      <thead>
        <tr>
          <th scope="col">Layer</th>
          <th scope="col">Digest</th>
          <th scope="col" className="num">
            Compressed
          </th>
          <th scope="col" className="num">
            Uncompressed
          </th>
          <th scope="col" className="num">
            Entries
          </th>
          <th scope="col" className="num">
            Store paths
          </th>
          <th scope="col">Holds</th>
        </tr>
      </thead>
      <tbody>
        {image.layers.map((l, i) => (
          <tr key={l.index}>
            <td>{layerNumber(l.index)}</td>
            <td>
              <code title={l.digest}>{l.digest.slice(0, 19)}</code>
            </td>
            <td className="num">{formatBytes(l.compressedSize)}</td>
            <td className="num">{formatBytes(l.uncompressedSize)}</td>
            <td className="num">{l.fileCount}</td>
            <td className="num">{l.storePaths.length}</td>
            <td className="images-made-by" title={l.history?.comment ?? l.history?.created_by}>
              {titles[i]}
              {l.warnings.length > 0 ? <span className="error"> {l.warnings.length} warnings</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EfficiencyTab({ image }: { readonly image: OpenedImage }) {
  const e = image.efficiency;
  return (
    <div>
      <dl className="images-stats">
        <div>
          <dt>Efficiency</dt>
          <dd data-testid="image-efficiency">{(e.efficiency * 100).toFixed(1)}%</dd>
        </div>
        <div>
          <dt>Wasted</dt>
          <dd>{formatBytes(e.wastedBytes)}</dd>
        </div>
        <div>
          <dt>File bytes in all layers</dt>
          <dd>{formatBytes(e.totalBytes)}</dd>
        </div>
        <div>
          <dt>Visible in the final filesystem</dt>
          <dd>{formatBytes(e.keptBytes)}</dd>
        </div>
      </dl>
      {e.wastedPathCount === 0 ? (
        <p className="muted">No path is stored twice or removed later: nothing is wasted.</p>
      ) : (
        <table className="images-table" aria-label="Wasted paths">
          <caption className="muted">
            {e.wastedPathCount > e.wastedPaths.length ? `The ${e.wastedPaths.length} most wasteful of ${e.wastedPathCount} paths` : `${e.wastedPathCount} paths`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Layers</th>
              <th scope="col" className="num">
                Wasted
              </th>
            </tr>
          </thead>
          <tbody>
            {e.wastedPaths.map((w) => (
              <tr key={w.path}>
                <td>
                  <code>/{w.path}</code>
                </td>
                <td>{layerNumbers(w.layers)}</td>
                <td className="num">{formatBytes(w.wastedBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function CompareTab({ image }: { readonly image: OpenedImage }) {
  const id = useId();
  const others = useImages(useShallow((s) => s.opened.filter((o) => o.id !== image.id)));
  const [otherId, setOtherId] = useState<string>('');
  const [result, setResult] = useState<ImageComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = others.find((o) => o.id === otherId) ?? others[0];

  useEffect(() => {
    if (!chosen) return;
    let current = true;
    api.request('images:compare', { a: chosen.id, b: image.id }).then(
      (r) => current && (setResult(r), setError(null)),
      (err: unknown) => current && setError((err as Error).message),
    );
    return () => {
      current = false;
    };
  }, [chosen, image.id]);

  if (!chosen) return <p className="muted">Open a second image to compare this one with it.</p>;
  return (
    <div className="images-compare">
      <label htmlFor={`${id}-other`}>
        Compared with (what a puller already has)
        <select id={`${id}-other`} value={chosen.id} onChange={(e) => setOtherId(e.target.value)}>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.reference}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote message={error} />
      {result ? (
        <>
          <dl className="images-stats">
            <div>
              <dt>Shared layers</dt>
              <dd data-testid="compare-shared">{result.sharedLayers.length}</dd>
            </div>
            <div>
              <dt>Already present for the puller</dt>
              <dd>{formatBytes(result.bytesAlreadyPresent)}</dd>
            </div>
            <div>
              <dt>Still to pull</dt>
              <dd>{formatBytes(result.bytesToPull)}</dd>
            </div>
          </dl>
          <SharedLayers shared={result.sharedLayers} other={chosen.reference} />
          <div className="images-compare-paths">
            <PathList title="Store paths added" items={result.storePaths.added} />
            <PathList title="Store paths removed" items={result.storePaths.removed} />
            <PathList title="Store paths changed" items={result.storePaths.changed.map((c) => `${c.name}: ${c.from.slice(11, 19)}… → ${c.to.slice(11, 19)}…`)} />
          </div>
        </>
      ) : null}
    </div>
  );
}

function SharedLayers({ shared, other }: { readonly shared: ImageComparison['sharedLayers']; readonly other: string }) {
  if (shared.length === 0) return <p className="muted">No layer is shared: a puller who has {other} downloads every layer.</p>;
  return (
    <table className="images-table" aria-label="Shared layers">
      <caption className="muted">Layers both images hold: their number in this image, and in {other}</caption>
      <thead>
        <tr>
          <th scope="col">Layer here</th>
          <th scope="col">Layer there</th>
          <th scope="col">Digest</th>
          <th scope="col" className="num">
            Compressed
          </th>
        </tr>
      </thead>
      <tbody>
        {shared.map((l) => (
          <tr key={l.digest}>
            <td>{layerNumber(l.indexB)}</td>
            <td>{layerNumber(l.indexA)}</td>
            <td>
              <code title={l.digest}>{l.digest.slice(0, 19)}</code>
            </td>
            <td className="num">{formatBytes(l.compressedSize)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One column of the store path differences; the three share the grid's rows, so their headings and lists line up. */
function PathList({ title, items }: { readonly title: string; readonly items: readonly string[] }) {
  return (
    <section aria-label={title}>
      <h3>
        {title} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item}>
              <code>{item}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
