import { useState } from 'react';
import type { JobSummary } from '../../../../src-shared/jobs';
import { api } from '../../api/api';
import { ProgressBar } from '../../components/ProgressBar';
import { StateBadge } from '../../components/StateBadge';
import { formatDuration } from '../../format';
import { useNow } from '../../components/use-now';
import { ErrorNote } from '../../components/ErrorNote';

/** A flow job's state, phase, total time, overall progress and cancel; its error where it happened. */
export function JobHeader({ job, what }: { job: JobSummary; what: string }) {
  const active = job.state === 'queued' || job.state === 'running';
  const now = useNow(active);
  const [cancelError, setCancelError] = useState<string | null>(null);
  return (
    <div className="flow-job">
      <div className="flow-job-facts">
        <StateBadge state={job.state} />
        <span>
          <span className="job-id">#{job.id}</span> {job.title}
        </span>
        {job.phase && active ? <span className="muted">Phase: {job.phase}</span> : null}
        <span className="muted" data-testid="job-time">
          Total time {formatDuration(job.startedAt ?? job.createdAt, job.finishedAt ?? now)}
        </span>
        {active ? (
          <button
            type="button"
            className="push-right"
            onClick={() => api.request('jobs:cancel', { id: job.id }).then(() => setCancelError(null), (err: unknown) => setCancelError((err as Error).message))}
          >
            Cancel {what}
          </button>
        ) : null}
      </div>
      {/* A bar stopped half way reads as still running: a job that ended without finishing shows none. */}
      {job.progress && (active || job.state === 'succeeded') ? <ProgressBar progress={job.progress} label={`Progress of the ${what}`} /> : null}
      <ErrorNote message={job.error} />
      <ErrorNote message={cancelError} />
    </div>
  );
}
