import { useState } from 'react';
import type { ImageBuildDetail, LayerProgress } from '../../../src-main/engine/jobs/kinds/image-build-detail';
import type { JobSummary } from '../../../src-main/engine/jobs/types';
import { api } from '../api/api';
import { formatBytes } from '../format';
import { useJobs } from '../store/jobs';
import { useRecipe } from '../store/recipe';
import { JobHeader } from './flow/JobHeader';
import { SearchableLog } from './flow/SearchableLog';
import { trackStarted } from './flow/track-job';
import './flow.css';
import { ErrorNote } from '../components/ErrorNote';
import { TeamCachePicker } from './build/TeamCachePicker';

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
  const [teamCacheRegistry, setTeamCacheRegistry] = useState('');
  const active = job?.state === 'queued' || job?.state === 'running';

  const start = (): void => {
    setError(null);
    const { source, attrs, strategy, maxLayers, compression, config, name } = recipe;
    api.request('jobs:start', { kind: 'image-build', input: { source, attrs: [...attrs], strategy, maxLayers, compression, config, ...(name ? { name } : {}), ...(teamCacheRegistry ? { teamCacheRegistry } : {}) } }).then(
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
          <TeamCachePicker value={teamCacheRegistry} onChange={setTeamCacheRegistry} />
          <button type="button" className="primary" onClick={start} disabled={active}>
            {job ? 'Build again' : 'Build image'}
          </button>
        </div>
        <ErrorNote message={error} />
        {job ? <JobHeader job={job} what="build" /> : null}
        {job?.state === 'succeeded' ? <BuiltImage result={job.result as BuiltImageResult} /> : null}
      </section>
      {job ? <LayerTable job={job} /> : null}
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

const BADGES: Record<LayerProgress['state'], { text: string; tone: string }> = {
  waiting: { text: 'waiting', tone: 'queued' },
  writing: { text: 'writing', tone: 'running' },
  cached: { text: 'cache hit', tone: 'succeeded' },
  team: { text: 'from the team cache', tone: 'succeeded' },
  written: { text: 'cache miss', tone: 'running' },
};

/** One row per layer from the job's live detail, in plan order and numbered from 1 as in Images: a progress bar while it is written, then its digest and size. */
function LayerTable({ job }: { job: JobSummary }) {
  const layers = (job.detail as ImageBuildDetail | null)?.layers ?? [];
  const done = layers.filter((l) => l.digest !== null).length;
  return (
    <section className="flow-card layer-table" aria-labelledby="layers-title">
      <h2 id="layers-title">Layers {layers.length > 0 ? <span className="muted">({done} of {layers.length} done)</span> : null}</h2>
      {layers.length === 0 ? (
        <p className="muted">The layers appear once Nix has built the packages and the closure is planned.</p>
      ) : (
        <ol className="layer-rows">
          {layers.map((layer) => (
            <li key={layer.index}>
              <span className="layer-index">{layer.index + 1}</span>
              <span className="layer-what muted">{layer.kind === 'customisation' ? `links to ${layer.paths}` : `${layer.paths} paths`}</span>
              {layer.digest ? (
                <code className="grow">{layer.digest}</code>
              ) : (
                <progress
                  className="grow"
                  aria-label={`Layer ${layer.index + 1}`}
                  value={Math.min(layer.tarBytes, layer.narSize)}
                  max={layer.narSize > 0 ? layer.narSize : 1}
                />
              )}
              <span className="muted">{layer.size !== null ? formatBytes(layer.size) : `${formatBytes(layer.tarBytes)} of ${formatBytes(layer.narSize)}`}</span>
              <span className={`badge badge-${BADGES[layer.state].tone}`}>{BADGES[layer.state].text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
