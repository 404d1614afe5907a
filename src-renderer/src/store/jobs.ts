import { create } from 'zustand';
import type { JobSummary } from '../../../src-shared/jobs';
import { api } from '../api/api';
import { mergeJobList } from './job-merge';

interface JobsState {
  readonly byId: Readonly<Record<number, JobSummary>>;
  /** Newest first. */
  readonly order: readonly number[];
  readonly selectedId: number | null;
  readonly loadError: string | null;
  readonly load: () => Promise<void>;
  /** A job as a `job:state` event reports it: events come in order, so it replaces the page's copy. */
  readonly upsert: (job: JobSummary) => void;
  readonly select: (id: number | null) => void;
}

/** Ids of jobs whose state events arrived while each `jobs:list` request was out. */
const listening = new Set<Set<number>>();

export const useJobs = create<JobsState>()((set) => ({
  byId: {},
  order: [],
  selectedId: null,
  loadError: null,
  async load() {
    const heard = new Set<number>();
    listening.add(heard);
    try {
      const jobs = await api.request('jobs:list', {});
      set((state) => ({ ...mergeJobList(state, jobs, heard), selectedId: state.selectedId ?? jobs[0]?.id ?? null, loadError: null }));
    } catch (err) {
      set({ loadError: (err as Error).message });
    } finally {
      listening.delete(heard);
    }
  },
  upsert(job) {
    for (const heard of listening) heard.add(job.id);
    set((state) => ({
      byId: { ...state.byId, [job.id]: job },
      order: job.id in state.byId ? state.order : [job.id, ...state.order],
    }));
  },
  select(id) {
    set({ selectedId: id });
  },
}));

/** Keeps the store in step with the engine: job states as they change. */
export function followJobs(): () => void {
  return api.on('job:state', (job) => useJobs.getState().upsert(job));
}
