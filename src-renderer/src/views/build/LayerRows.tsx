import type { ImageBuildDetail, LayerProgress } from '../../../../src-shared/build-detail';
import type { JobSummary } from '../../../../src-shared/jobs';
import { plural } from '../../../../src-shared/layer-name';
import { formatBytes } from '../../format';

const BADGES: Record<LayerProgress['state'] | 'stopped', { text: string; tone: string }> = {
  waiting: { text: 'waiting', tone: 'queued' },
  writing: { text: 'writing', tone: 'running' },
  cached: { text: 'cache hit', tone: 'succeeded' },
  team: { text: 'from the team cache', tone: 'succeeded' },
  written: { text: 'cache miss', tone: 'running' },
  stopped: { text: 'not written', tone: 'cancelled' },
};

/** A layer's words: its name, or (for jobs recorded before layers had names) its kind and count. */
export function layerWhat(layer: LayerProgress): string {
  if (layer.title) return layer.title;
  return layer.kind === 'customisation' ? `links to ${plural(layer.paths, 'package')}` : plural(layer.paths, 'path');
}

/**
 * One row per layer from the job's live detail, in plan order and numbered from 1
 * as in Images: a progress bar while it is written, then its digest and size. A
 * build that ended without finishing a layer shows it as not written, not as
 * still writing.
 */
export function LayerRows({ job }: { job: JobSummary }) {
  const layers = (job.detail as ImageBuildDetail | null)?.layers ?? [];
  const done = layers.filter((l) => l.digest !== null).length;
  const ended = job.state === 'cancelled' || job.state === 'failed' || job.state === 'interrupted';
  return (
    <section className="flow-card layer-table" aria-labelledby="layers-title">
      <h2 id="layers-title">
        Layers{' '}
        {layers.length > 0 ? (
          <span className="muted">
            ({done} of {layers.length} {ended ? `done when the build ${job.state === 'failed' ? 'failed' : `was ${job.state}`}` : 'done'})
          </span>
        ) : null}
      </h2>
      {layers.length === 0 ? (
        <p className="muted">
          {ended ? 'The build ended before its layers were planned.' : 'The layers appear once Nix has built the packages and the closure is planned.'}
        </p>
      ) : (
        <ol className="layer-rows">
          {layers.map((layer) => {
            const state = ended && layer.digest === null ? 'stopped' : layer.state;
            return (
              <li key={layer.index} className={state === 'stopped' ? 'is-stopped' : undefined}>
                <span className="layer-index">{layer.index + 1}</span>
                <span className="layer-what" title={layer.why ? `${layerWhat(layer)}: ${layer.why}` : layerWhat(layer)}>
                  {layerWhat(layer)}
                </span>
                {layer.digest ? (
                  <code className="layer-digest" title={layer.digest}>
                    {layer.digest}
                  </code>
                ) : state === 'stopped' ? (
                  <span className="layer-digest muted">—</span>
                ) : (
                  <progress
                    className="layer-digest"
                    aria-label={`Layer ${layer.index + 1}`}
                    value={Math.min(layer.tarBytes, layer.narSize)}
                    max={layer.narSize > 0 ? layer.narSize : 1}
                  />
                )}
                <span className="layer-size muted">
                  {layer.size !== null ? formatBytes(layer.size) : state === 'stopped' ? formatBytes(layer.narSize) : `${formatBytes(layer.tarBytes)} of ${formatBytes(layer.narSize)}`}
                </span>
                <span className={`badge badge-${BADGES[state].tone}`}>{BADGES[state].text}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
