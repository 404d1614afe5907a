import type { JobState } from '../../../src-shared/jobs';

const LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function StateBadge({ state }: { state: JobState }) {
  return <span className={`badge badge-${state}`}>{LABELS[state]}</span>;
}
