import { create } from 'zustand';
import type { JobSummary } from '../../../src-main/engine/jobs/types';
import { api } from '../api/api';

interface JobsState {
  readonly byId: Readonly<Record<number, JobSummary>>;
  /** Newest first. */
  readonly order: readonly number[];
  readonly selectedId: number | null;
  readonly loadError: string | null;
  readonly load: () => Promise<void>;
  readonly upsert: (job: JobSummary) => void;
  readonly select: (id: number | null) => void;
}

export const useJobs = create<JobsState>()((set) => ({
  byId: {},
  order: [],
  selectedId: null,
  loadError: null,
  async load() {
    try {
      const jobs = await api.request('jobs:list', {});
      set((state) => ({
        byId: Object.fromEntries(jobs.map((job) => [job.id, job])),
        order: jobs.map((job) => job.id),
        selectedId: state.selectedId ?? jobs[0]?.id ?? null,
        loadError: null,
      }));
    } catch (err) {
      set({ loadError: (err as Error).message });
    }
  },
  upsert(job) {
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
