import { useState } from 'react';
import { api } from '../api/api';
import { useJobs } from '../store/jobs';
import { useNav } from '../store/nav';
import { recipeKey, useRecipe } from '../store/recipe';
import { BuildSummary } from './build/BuildSummary';
import { LayerRows } from './build/LayerRows';
import { StaleBuildNote } from './build/StaleBuild';
import { JobHeader } from './flow/JobHeader';
import { SearchableLog } from './flow/SearchableLog';
import { trackStarted } from './flow/track-job';
import './flow.css';
import './build/build.css';
import { ErrorNote } from '../components/ErrorNote';
import { TeamCachePicker } from './build/TeamCachePicker';

/** What an image-build job answers, as far as this view reads it. */
export interface BuiltImageResult {
  readonly name: string;
  readonly manifestDigest: string;
}

/** Build: the composed recipe as an image build job: what it reused and wrote first, then its layers and Nix's log. */
export function BuildView() {
  const recipe = useRecipe((s) => s.recipe);
  const jobId = useRecipe((s) => s.buildJobId);
  const buildOf = useRecipe((s) => s.buildOf);
  const job = useJobs((s) => (jobId === null ? undefined : s.byId[jobId]));
  const [error, setError] = useState<string | null>(null);
  const [teamCacheRegistry, setTeamCacheRegistry] = useState('');
  const active = job?.state === 'queued' || job?.state === 'running';
  // A build from before this tab kept its recipe (buildOf null) is not called stale: there is nothing to compare.
  const stale = job !== undefined && buildOf !== null && buildOf !== recipeKey(recipe);

  const start = (): void => {
    setError(null);
    const { source, attrs, strategy, maxLayers, compression, config, name, allowMissingEntrypoint } = recipe;
    api
      .request('jobs:start', {
        kind: 'image-build',
        input: {
          source,
          attrs: [...attrs],
          strategy,
          maxLayers,
          compression,
          config,
          ...(name ? { name } : {}), ...(allowMissingEntrypoint ? { allowMissingEntrypoint } : {}),
          ...(teamCacheRegistry ? { teamCacheRegistry } : {}),
        },
      })
      .then(
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
          {stale ? null : (
            <button type="button" className="primary" onClick={start} disabled={active}>
              {job ? 'Build again' : 'Build image'}
            </button>
          )}
        </div>
        <ErrorNote message={error} />
        {stale && job ? <StaleBuildNote title={job.title} onBuild={start} busy={active} /> : null}
        <div className={stale ? 'is-stale' : undefined}>
          {job ? <JobHeader job={job} what="build" /> : null}
          {job ? <BuildSummary job={job} /> : null}
          {job?.state === 'succeeded' ? <BuiltImage result={job.result as BuiltImageResult} /> : null}
        </div>
      </section>
      {job ? (
        <div className={stale ? 'is-stale' : undefined}>
          <LayerRows job={job} />
        </div>
      ) : null}
      {jobId !== null ? <SearchableLog key={jobId} jobId={jobId} label="Build log" /> : null}
    </div>
  );
}

function BuiltImage({ result }: { result: BuiltImageResult }) {
  return (
    <p className="flow-result" data-testid="built-image">
      Image <strong>{result.name}</strong> <code>{result.manifestDigest}</code> ·{' '}
      <button type="button" className="link" onClick={() => useNav.getState().go('push')}>
        Push it to a registry
      </button>
    </p>
  );
}
