import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobState, JobSummary } from '../../src-shared/jobs.js';
import { mergeJobList } from '../../src-renderer/src/store/job-merge.js';

/** One job's successive states, as the engine reports them: queued, running with a growing log, then finished. */
function lifeOf(id: number, steps: number, end: JobState): JobSummary[] {
  const at = (state: JobState, logLines: number, detail: unknown): JobSummary => ({
    id,
    kind: 'image-build',
    title: `job ${id}`,
    state,
    phase: null,
    progress: null,
    detail,
    error: null,
    result: null,
    logLines,
    createdAt: id,
    startedAt: state === 'queued' ? null : id,
    finishedAt: state === 'queued' || state === 'running' ? null : id + steps,
  });
  const running = Array.from({ length: steps }, (_, i) => at('running', i, i));
  return [at('queued', 0, null), ...running, at(end, steps, 'final')];
}

const table = (jobs: readonly JobSummary[]) => ({ byId: Object.fromEntries(jobs.map((j) => [j.id, j])), order: jobs.map((j) => j.id).sort((a, b) => b - a) });

describe('merging a job list into the jobs the page knows', () => {
  it('never goes back from a state event received while the list was being fetched', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<JobState>('succeeded', 'failed', 'cancelled'),
        fc.nat(),
        fc.nat(),
        (steps, end, a, b) => {
          const life = lifeOf(7, steps, end);
          // The list was made at version `listed`; an event at `heard` arrived before the answer, whichever is newer.
          const listed = life[a % life.length]!;
          const heard = life[b % life.length]!;
          const merged = mergeJobList(table([heard]), [listed], new Set([7]));
          const newest = life.indexOf(heard) >= life.indexOf(listed) ? heard : listed;
          expect(merged.byId[7]).toBe(newest);
        },
      ),
    );
  });

  it('takes the listed copy when the page only had an older answer, even on a tie', () => {
    const [, , second] = lifeOf(3, 2, 'succeeded');
    const stale = { ...second!, detail: 'old' };
    const merged = mergeJobList(table([stale]), [second!], new Set());
    expect(merged.byId[3]).toBe(second);
  });

  it('keeps jobs the list does not hold (started after it was made), newest first', () => {
    const fresh = lifeOf(12, 1, 'succeeded')[0]!;
    const listed = [lifeOf(11, 1, 'failed').at(-1)!, lifeOf(4, 1, 'succeeded').at(-1)!];
    const merged = mergeJobList(table([fresh]), listed, new Set([12]));
    expect(merged.order).toEqual([12, 11, 4]);
    expect(merged.byId[12]).toBe(fresh);
  });
});
