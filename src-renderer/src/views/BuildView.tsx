import { useMemo, useState } from 'react';
import { api } from '../api/api';
import { useJobs } from '../store/jobs';
import { useRecipe } from '../store/recipe';
import { buildLayers } from './flow/build-layers';
import { JobHeader } from './flow/JobHeader';
import { SearchableLog } from './flow/SearchableLog';
import { useJobLog } from '../store/use-job-log';
import { trackStarted } from './flow/track-job';
import './flow.css';

/** What an image-build job answers, as far as this view reads it. */
export interface BuiltImageResult {
  readonly name: string;
  readonly manifestDigest: string;
}

/** Build: the composed recipe as an image build job, its layers with cache hits and misses, and Nix's log. */
export function BuildView() {
  const recipe = useRecipe((s) => s.recipe);
  const jobId = useRecipe((s) => s.buildJobId);
  const job = useJobs((s) => (jobId === null ? undefined : s.byId[jobId]));
  const [error, setError] = useState<string | null>(null);
  const active = job?.state === 'queued' || job?.state === 'running';

  const start = (): void => {
    setError(null);
    const { source, attrs, strategy, maxLayers, compression, config, name } = recipe;
    api.request('jobs:start', { kind: 'image-build', input: { source, attrs: [...attrs], strategy, maxLayers, compression, config, ...(name ? { name } : {}) } }).then(
      (started) => {
        trackStarted(started);
        useRecipe.getState().setJob('buildJobId', started.id);
      },
      (err: unknown) => setError((err as Error).message),
    );
  };

  return (
    <div className="flow-view build-view">
      <section className="flow-card" aria-labelledby="build-title">
        <div className="flow-card-head">
          <div>
            <h2 id="build-title">Build image</h2>
            <p className="muted">
              {recipe.attrs.length ? recipe.attrs.join(', ') : 'No packages yet: add some in Compose'} · {recipe.strategy}, up to {recipe.maxLayers} layers, {recipe.compression}
            </p>
          </div>
          <button type="button" className="primary" onClick={start} disabled={active}>
            {job ? 'Build again' : 'Build image'}
          </button>
        </div>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        {job ? <JobHeader job={job} what="build" /> : null}
        {job?.state === 'succeeded' ? <BuiltImage result={job.result as BuiltImageResult} /> : null}
      </section>
      {jobId !== null ? <LayerTable jobId={jobId} /> : null}
      {jobId !== null ? <SearchableLog key={jobId} jobId={jobId} label="Build log" /> : null}
    </div>
  );
}

function BuiltImage({ result }: { result: BuiltImageResult }) {
  return (
    <p className="flow-result" data-testid="built-image">
      Image <strong>{result.name}</strong> <code>{result.manifestDigest}</code> · go to Push to send it to a registry
    </p>
  );
}

function LayerTable({ jobId }: { jobId: number }) {
  const { lines, count } = useJobLog(jobId);
  const { planned, layers } = useMemo(() => buildLayers(lines, count), [lines, count]);
  return (
    <section className="flow-card layer-table" aria-labelledby="layers-title">
      <h2 id="layers-title">Layers {planned !== null ? <span className="muted">({layers.filter((l) => l.digest).length} of {planned} done)</span> : null}</h2>
      {layers.length === 0 ? (
        <p className="muted">The layers appear once Nix has built the packages and the closure is planned.</p>
      ) : (
        <ol className="layer-rows">
          {layers.map((layer) => (
            <li key={layer.index}>
              <span className="layer-index">{layer.index}</span>
              <code className="grow">{layer.digest ?? '…'}</code>
              <span className="muted">{layer.size ?? ''}</span>
              {layer.cached === null ? (
                <span className="badge badge-queued">waiting</span>
              ) : layer.cached ? (
                <span className="badge badge-succeeded">cache hit</span>
              ) : (
                <span className="badge badge-running">cache miss</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
