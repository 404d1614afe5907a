import type { JobSummary } from '../../../../src-shared/jobs';
import { useJobs } from '../../store/jobs';

/**
 * Records a job a view just started. Its state events can arrive before the
 * start request's reply (a quick failure does), so the reply, which says
 * `queued`, must not overwrite a newer state.
 */
export function trackStarted(job: JobSummary): void {
  if (!(job.id in useJobs.getState().byId)) useJobs.getState().upsert(job);
}
