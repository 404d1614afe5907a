import { useEffect, useId, useState, type FormEvent } from 'react';
import type { IndexedSource } from '../../../../src-shared/packages';
import { api } from '../../api/api';
import { ProgressBar } from '../../components/ProgressBar';
import { useJobs } from '../../store/jobs';
import { useRecipe } from '../../store/recipe';
import { trackStarted } from '../flow/track-job';
import { ErrorNote } from '../../components/ErrorNote';

/**
 * The package source and its index: loading runs as a job (Nix lists the
 * packages, then they go into the index) with its progress shown here; a source
 * indexed before is ready at once.
 */
export function SourceLoader() {
  const id = useId();
  const source = useRecipe((s) => s.recipe.source);
  const update = useRecipe((s) => s.update);
  const indexed = useRecipe((s) => s.indexed);
  const jobId = useRecipe((s) => s.indexJobId);
  const setIndexed = useRecipe((s) => s.setIndexed);
  const job = useJobs((s) => (jobId === null ? undefined : s.byId[jobId]));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (job?.state === 'succeeded' && indexed === null) setIndexed(job.result as IndexedSource);
  }, [job, indexed, setIndexed]);

  const load = (force: boolean) => async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    try {
      if (!force) {
        const { indexed: current } = await api.request('packages:status', { source });
        if (current) return setIndexed(current, null);
      }
      const started = await api.request('jobs:start', { kind: 'package-index', input: { source, force } });
      trackStarted(started);
      setIndexed(null, started.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const loading = job !== undefined && (job.state === 'queued' || job.state === 'running');
  return (
    <form className="source-loader" onSubmit={load(false)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Source</h2>
      <div className="source-row">
        <label htmlFor={`${id}-source`} className="grow">
          Package source
          <input
            id={`${id}-source`}
            value={source}
            onChange={(e) => update({ source: e.target.value })}
            placeholder="/path/to/folder with default.nix, <nixpkgs>, or a flake"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="primary" disabled={loading || source.trim() === ''}>
          Load packages
        </button>
        {indexed ? (
          <button type="button" onClick={() => void load(true)()} disabled={loading}>
            Reload
          </button>
        ) : null}
      </div>
      {loading ? (
        <div className="index-progress" role="status">
          {job.progress ? (
            <ProgressBar progress={job.progress} label="Loading the package index" />
          ) : (
            <div className="progress">
              <progress aria-label="Loading the package index" />
              <span className="progress-text">Nix is listing the packages…</span>
            </div>
          )}
        </div>
      ) : null}
      {indexed ? (
        <p className="muted" data-testid="index-status">
          {indexed.packages.toLocaleString()} packages indexed from {indexed.source}
        </p>
      ) : null}
      {job?.state === 'failed' ? (
        <p className="error" role="alert">
          {job.error}
        </p>
      ) : null}
      <ErrorNote message={error} />
    </form>
  );
}
