/**
 * Which of two copies of one job is newer. JobSummary has no version field, but a
 * job only moves forward: queued, then running, then one finished state, and its
 * log only grows. Copies that tie on both (a running job whose detail moved on
 * without a log line) cannot be told apart here; the caller decides those.
 */
import type { JobState, JobSummary } from '../../../src-shared/jobs';

const STATE_STEP: Record<JobState, number> = { queued: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2, interrupted: 2 };

/** Positive when `a` is further along than `b`, negative when behind, 0 when they tie. */
export function compareJobProgress(a: JobSummary, b: JobSummary): number {
  return STATE_STEP[a.state] - STATE_STEP[b.state] || a.logLines - b.logLines;
}

export interface JobTable {
  readonly byId: Readonly<Record<number, JobSummary>>;
  /** Newest first. */
  readonly order: readonly number[];
}

/**
 * The table after a `jobs:list` answer: each listed job as fetched unless the
 * page's copy is further along, or ties and came from a state event received
 * while the request was out (the event is then at least as new as the answer).
 * Jobs the answer does not list (started after it was made, or past its limit)
 * stay; the order is by id, newest first, as the engine numbers jobs.
 */
export function mergeJobList(current: JobTable, fetched: readonly JobSummary[], heardDuringRequest: ReadonlySet<number>): JobTable {
  const byId: Record<number, JobSummary> = { ...current.byId };
  for (const job of fetched) {
    const mine = byId[job.id];
    const keepMine = mine !== undefined && (compareJobProgress(mine, job) > 0 || (compareJobProgress(mine, job) === 0 && heardDuringRequest.has(job.id)));
    if (!keepMine) byId[job.id] = job;
  }
  const order = Object.keys(byId)
    .map(Number)
    .sort((a, b) => b - a);
  return { byId, order };
}
