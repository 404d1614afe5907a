/**
 * What a job is, as plain data. No Node imports: the renderer type-checks against
 * these through the IPC contract, so the UI and the engine cannot disagree.
 */

/**
 * `interrupted`: the process that ran the job died (or quit) before it finished;
 * the job did not fail on its own and can be started again.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export function isFinished(state: JobState): boolean {
  return FINISHED_STATES.includes(state);
}

export interface JobProgress {
  readonly done: number;
  readonly total: number;
  /** What `done` and `total` count, e.g. `bytes` or `layers`. */
  readonly unit: string;
}

export type LogStream = 'out' | 'err' | 'info';

export interface LogLine {
  /** 1-based, dense per job: the UI resumes a log from the last seq it has. */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly stream: LogStream;
  readonly text: string;
}

export interface JobSummary {
  readonly id: number;
  readonly kind: string;
  /** One line a person recognises the job by, e.g. `nix build bash gzip`. */
  readonly title: string;
  readonly state: JobState;
  /** The step the job is in, e.g. `nix` or `layers`; null before the first. */
  readonly phase: string | null;
  readonly progress: JobProgress | null;
  /** The kind's own live state (for an image build, each layer's progress); null when it reports none. */
  readonly detail: unknown;
  /** Why the job failed or was interrupted: one line for a person. */
  readonly error: string | null;
  /** What the job produced (JSON), once it succeeded. */
  readonly result: unknown;
  readonly logLines: number;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** What a running job reports; the runner batches, stores and forwards it. */
export type JobEvent =
  | { readonly type: 'log'; readonly text: string; readonly stream?: LogStream }
  | { readonly type: 'phase'; readonly name: string }
  | { readonly type: 'progress'; readonly done: number; readonly total: number; readonly unit: string }
  /** Replaces the job's detail (JSON-safe); frequent updates are fine, they are batched like log lines. */
  | { readonly type: 'detail'; readonly detail: unknown };

/** What the runner tells its listeners (the IPC transports, the CLI). */
export type RunnerEvent =
  | { readonly type: 'state'; readonly job: JobSummary }
  | { readonly type: 'log'; readonly jobId: number; readonly lines: readonly LogLine[] };
