import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../src-shared/jobs';
import { api } from '../api/api';
import { formatBytes, formatDuration, formatTime } from '../format';
import { useJobs } from '../store/jobs';
import { loadLog } from '../store/logs';
import { LogView } from './LogView';
import { ProgressBar } from './ProgressBar';
import { StateBadge } from './StateBadge';
import { ErrorNote } from './ErrorNote';
import { useNow } from './use-now';

export function JobDetail({ id }: { id: number }) {
  const job = useJobs((s) => s.byId[id]);
  const select = useJobs((s) => s.select);
  const [actionError, setActionError] = useState<string | null>(null);
  const [logError, setLogError] = useState<string | null>(null);

  useEffect(() => {
    loadLog(id).then(
      () => setLogError(null),
      (err: unknown) => setLogError((err as Error).message),
    );
  }, [id]);

  const active = job?.state === 'queued' || job?.state === 'running';
  const now = useNow(active);
  if (!job) return null;

  const act = (request: Promise<JobSummary>, selectResult: boolean): void => {
    setActionError(null);
    request.then(
      (result) => selectResult && select(result.id),
      (err: unknown) => setActionError((err as Error).message),
    );
  };

  return (
    <section className="job-detail" aria-labelledby="job-detail-title">
      <header className="job-detail-header">
        <div>
          <h2 id="job-detail-title">
            <span className="job-id">#{job.id}</span> {job.title}
          </h2>
          <p className="job-facts">
            <StateBadge state={job.state} />
            {job.phase ? <span>Phase: {job.phase}</span> : null}
            <span>Started {formatTime(job.startedAt)}</span>
            <span>Took {formatDuration(job.startedAt, job.finishedAt ?? now)}</span>
            <span>{job.logLines.toLocaleString()} log lines</span>
          </p>
        </div>
        <div className="actions">
          {active ? (
            <button type="button" onClick={() => act(api.request('jobs:cancel', { id }), false)}>
              Cancel
            </button>
          ) : (
            <button type="button" onClick={() => act(api.request('jobs:retry', { id }), true)}>
              Run again
            </button>
          )}
        </div>
      </header>
      {job.progress ? <ProgressBar progress={job.progress} label={`Progress of job ${job.id}`} /> : null}
      <ErrorNote message={job.error} />
      <ErrorNote message={actionError} />
      <JobResult result={job.result} />
      {logError ? (
        <p className="error" role="alert">
          Could not load the stored log: {logError}
        </p>
      ) : null}
      <LogView key={id} jobId={id} />
    </section>
  );
}

interface ImageResult {
  name: string;
  manifestDigest: string;
  layers: { cached: boolean; size: number }[];
}

function isImageResult(result: unknown): result is ImageResult {
  return typeof result === 'object' && result !== null && 'manifestDigest' in result && Array.isArray((result as ImageResult).layers);
}

/** What a finished job produced: an image in the store, or the store paths Nix built. */
function JobResult({ result }: { result: unknown }) {
  if (isImageResult(result)) {
    const cached = result.layers.filter((l) => l.cached).length;
    const bytes = result.layers.reduce((sum, l) => sum + l.size, 0);
    return (
      <details className="result" open>
        <summary>Image {result.name}</summary>
        <dl>
          <dt>Manifest</dt>
          <dd>
            <code>{result.manifestDigest}</code>
          </dd>
          <dt>Layers</dt>
          <dd>
            {result.layers.length} ({cached} from the cache), {formatBytes(bytes)} compressed
          </dd>
        </dl>
      </details>
    );
  }
  const outPaths = (result as { outPaths?: unknown } | null)?.outPaths;
  if (!Array.isArray(outPaths) || outPaths.length === 0) return null;
  return (
    <details className="result" open>
      <summary>
        Built {outPaths.length} store {outPaths.length === 1 ? 'path' : 'paths'}
      </summary>
      <ul>
        {outPaths.map((path) => (
          <li key={String(path)}>
            <code>{String(path)}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
