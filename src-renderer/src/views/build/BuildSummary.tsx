import type { ImageBuildDetail, LayerProgress } from '../../../../src-shared/build-detail';
import type { JobSummary } from '../../../../src-shared/jobs';
import { plural } from '../../../../src-shared/layer-name';
import { formatBytes } from '../../format';
import { layerWhat } from './LayerRows';

/** The part of an image-build result this summary reads (older jobs lack pathsElsewhere). */
interface ResultLayer {
  readonly index: number;
  readonly cached: boolean;
  readonly paths: number;
  readonly pathsElsewhere?: number;
}

/** Why one written layer had to be written, in words. */
function writtenWhy(layer: LayerProgress, result: ResultLayer | undefined): string {
  if (layer.kind === 'customisation') return 'the links layer for this set of packages was not in the cache';
  const elsewhere = result?.pathsElsewhere;
  const n = layer.paths;
  if (elsewhere === undefined) return 'not in the cache';
  if (elsewhere === 0) return n === 1 ? 'new: its path was not in the cache' : `new: none of its ${n} paths was in the cache`;
  if (elsewhere >= n) {
    return n === 1 ? 'regrouped: its path was in the cache in another layer' : `regrouped: all ${n} of its paths were in the cache in other layers, split differently`;
  }
  return `${plural(n - elsewhere, 'new path')} of ${n}; the other ${plural(elsewhere, 'was', 'were')} in the cache in other layers`;
}

/**
 * What a build reused and what it wrote, first thing in the Build view: counts
 * and bytes while it runs, and once it is done, each written layer with the
 * reason it was written (new paths, or paths the cache had in another split).
 */
export function BuildSummary({ job }: { job: JobSummary }) {
  const layers = (job.detail as ImageBuildDetail | null)?.layers ?? [];
  if (layers.length === 0) return null;
  // A layer fetched from a team cache was not written here either: it counts as reused.
  const reused = layers.filter((l) => l.state === 'cached' || l.state === 'team');
  const team = reused.filter((l) => l.state === 'team').length;
  const written = layers.filter((l) => l.state === 'written');
  const bytes = (list: readonly LayerProgress[]): string => formatBytes(list.reduce((sum, l) => sum + (l.size ?? 0), 0));
  const left = layers.length - reused.length - written.length;
  const results = new Map(((job.result as { layers?: ResultLayer[] } | null)?.layers ?? []).map((l) => [l.index, l]));
  const finished = job.state === 'succeeded';
  return (
    <div className="build-summary" data-testid="build-summary">
      <p className="build-summary-line">
        <strong>
          Reused {reused.length} of {plural(layers.length, 'layer')}
        </strong>{' '}
        from the cache{team > 0 ? ` (${team} from the team cache)` : ''} ({bytes(reused)}), <strong>wrote {written.length}</strong> ({bytes(written)})
        {left > 0 ? (finished ? '' : job.state === 'running' || job.state === 'queued' ? `; ${left} to go` : `; ${left} not written`) : ''}.
      </p>
      {finished && written.length === 0 ? <p className="muted">Nothing was written: every layer came from the cache.</p> : null}
      {written.length > 0 ? (
        <details className="build-why" open={finished}>
          <summary>Why {written.length === 1 ? 'this layer was' : `these ${written.length} layers were`} written</summary>
          <ul aria-label="Why layers were written">
            {written.map((layer) => (
              <li key={layer.index}>
                <span className="layer-index">{layer.index + 1}</span> <strong>{layerWhat(layer)}</strong> ({formatBytes(layer.size ?? 0)}):{' '}
                {writtenWhy(layer, results.get(layer.index))}
                {layer.why && layer.kind === 'store-paths' ? <span className="muted"> · planned as {layer.why}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
