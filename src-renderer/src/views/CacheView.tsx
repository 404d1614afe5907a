import { useEffect } from 'react';
import { formatBytes } from '../format';
import { useCache } from '../store/cache';
import { GcPanel } from './cache/GcPanel';
import { HitRateChart } from './cache/HitRateChart';
import './cache/cache.css';
import { ErrorNote } from '../components/ErrorNote';

/** The local layer cache: what it holds, how often builds hit it, and gc. */
export function CacheView() {
  const summary = useCache((s) => s.summary);
  const history = useCache((s) => s.history);
  const loadError = useCache((s) => s.loadError);
  useEffect(() => {
    void useCache.getState().load();
  }, []);

  return (
    <div className="cache-view">
      <section className="card cache-section" aria-labelledby="cache-size-title">
        <h2 id="cache-size-title">Cache</h2>
        <ErrorNote message={loadError} />
        {summary ? (
          <dl className="cache-stats">
            <div>
              <dt>Size on disk</dt>
              <dd data-testid="cache-total">{formatBytes(summary.totalBytes)}</dd>
            </div>
            <div>
              <dt>Layers</dt>
              <dd data-testid="cache-layers">
                {summary.layers} <span className="muted">({formatBytes(summary.layerBytes)}, {formatBytes(summary.layerUncompressedBytes)} unpacked)</span>
              </dd>
            </div>
            <div>
              <dt>Images</dt>
              <dd data-testid="cache-images">{summary.images}</dd>
            </div>
            <div>
              <dt>Lifetime hits</dt>
              <dd data-testid="cache-hits">{summary.lifetimeHits}</dd>
            </div>
            <div>
              <dt>Not used by any image</dt>
              <dd data-testid="cache-unused">
                {formatBytes(summary.unusedBytes)} <span className="muted">in {summary.unusedBlobs} blobs</span>
              </dd>
            </div>
            <div>
              <dt>Duplication</dt>
              <dd data-testid="cache-duplication" title="Bytes of store paths summed over the layers, against the bytes of the distinct store paths: 1.00x stores each path once">
                {summary.duplication.ratio.toFixed(2)}x{' '}
                <span className="muted">
                  ({formatBytes(summary.duplication.distinctPathBytes)} of store paths stored as {formatBytes(summary.duplication.layeredPathBytes)})
                </span>
              </dd>
            </div>
          </dl>
        ) : loadError ? null : (
          <p className="muted">Reading the cache…</p>
        )}
      </section>
      <section className="card cache-section" aria-labelledby="cache-hits-title">
        <h2 id="cache-hits-title">Hit rate per build</h2>
        {history ? <HitRateChart history={history} /> : null}
      </section>
      <GcPanel />
    </div>
  );
}
