import type { Db } from '../db/database.js';
import { errorLine, LaminaError } from '../../../src-shared/errors.js';
import { JobStore, type NewLogLine } from './job-store.js';
import type { JobContext, JobKind } from './kind.js';
import { ownerIsGone, ownerOfThisProcess } from '../process-owner.js';
import { isFinished, type JobEvent, type JobProgress, type JobSummary, type LogLine, type RunnerEvent } from '../../../src-shared/jobs.js';

export interface RunnerOptions {
  /** How many jobs run at once; the rest wait in `queued`. */
  readonly concurrency?: number;
  /** How often a running job's log lines and progress are stored and sent, in ms. */
  readonly flushMs?: number;
}

/** A job while this process runs it: what it reported since the last flush. */
interface ActiveJob {
  readonly id: number;
  readonly abort: AbortController;
  phase: string | null;
  progress: JobProgress | null;
  detail: unknown;
  /** Lines stored so far; the next line gets `stored + pending.length + 1`. */
  stored: number;
  pending: NewLogLine[];
  dirty: boolean;
}

type Listener = (event: RunnerEvent) => void;

const CANCELLED = 'cancelled by the user';

/**
 * Runs jobs of the given kinds, at most `concurrency` at a time, and keeps every
 * job with its log in SQLite. Listeners get state changes and batches of log lines
 * (several per second at most, whatever the job emits), so a chatty build cannot
 * flood the UI or the disk.
 */
export class JobRunner {
  private readonly store: JobStore;
  private readonly owner = ownerOfThisProcess();
  private readonly active = new Map<number, ActiveJob>();
  private readonly queue: { id: number; run: () => void }[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly waiters = new Map<number, ((job: JobSummary) => void)[]>();
  private readonly concurrency: number;
  private readonly timer: NodeJS.Timeout;
  private running = 0;
  private closed = false;

  constructor(
    db: Db,
    private readonly kindsByName: Readonly<Record<string, JobKind<never>>>,
    options: RunnerOptions = {},
  ) {
    this.store = new JobStore(db);
    this.concurrency = options.concurrency ?? 2;
    this.timer = setInterval(() => this.flushAll(), options.flushMs ?? 100);
    this.timer.unref();
    this.markInterrupted();
  }

  /** The names of the kinds this runner runs. */
  get kinds(): string[] {
    return Object.keys(this.kindsByName);
  }

  /** Queues a job; it starts as soon as a slot is free. */
  start(kind: string, input: unknown): JobSummary {
    if (this.closed) throw new LaminaError('Lamina is shutting down; start the job again after it restarts', 'runner-closed');
    const jobKind = this.kindsByName[kind];
    if (!jobKind) {
      throw new LaminaError(`there is no job kind "${kind}"; use one of: ${this.kinds.join(', ')}`, 'job-kind-unknown');
    }
    const stored: unknown = jobKind.storedInput ? jobKind.storedInput(input as never) : input;
    const job = this.store.create(kind, jobKind.title(stored as never), stored, this.owner, Date.now());
    this.queue.push({ id: job.id, run: () => void this.run(job.id, jobKind, stored) });
    this.emit({ type: 'state', job });
    this.pump();
    return job;
  }

  /** Starts a new job with the kind and input of an earlier one. */
  retry(id: number): JobSummary {
    return this.start(this.store.get(id).kind, this.store.input(id));
  }

  /** Cancels a queued or running job; a finished one is returned as it is. */
  cancel(id: number): JobSummary {
    const queued = this.queue.findIndex((q) => q.id === id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return this.finish(id, 'cancelled', { error: CANCELLED });
    }
    const active = this.active.get(id);
    if (active) {
      active.abort.abort(new LaminaError(CANCELLED, 'cancelled'));
      return this.store.get(id);
    }
    const job = this.get(id);
    if (!isFinished(job.state)) {
      throw new LaminaError(`job ${id} is run by another Lamina process (${this.ownerOf(id)}); cancel it there`, 'job-not-owned');
    }
    return job;
  }

  get(id: number): JobSummary {
    this.markInterrupted();
    return this.store.get(id);
  }

  /** The newest jobs first. */
  list(limit = 200): JobSummary[] {
    this.markInterrupted();
    return this.store.list(limit);
  }

  /** Stored log lines after `after` (a seq), oldest first. Lines not yet flushed follow in events. */
  log(id: number, after = 0, limit = 5000): LogLine[] {
    this.store.get(id);
    return this.store.lines(id, after, limit);
  }

  /** Resolves once the job has finished, whatever the outcome (for jobs this runner runs or ran). */
  wait(id: number): Promise<JobSummary> {
    const job = this.get(id);
    if (isFinished(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops taking jobs, cancels the queue and aborts what runs. Jobs that were
   * running end as `interrupted` (they did not fail on their own).
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const { id } of this.queue.splice(0)) this.finish(id, 'cancelled', { error: 'Lamina quit before the job started' });
    const running = [...this.active.keys()];
    for (const job of this.active.values()) job.abort.abort(new LaminaError('Lamina quit while the job ran', 'interrupted'));
    await Promise.all(running.map((id) => this.wait(id)));
    clearInterval(this.timer);
  }

  private async run(id: number, kind: JobKind<never>, input: unknown): Promise<void> {
    const active: ActiveJob = { id, abort: new AbortController(), phase: null, progress: null, detail: null, stored: 0, pending: [], dirty: false };
    this.active.set(id, active);
    this.store.setState(id, 'running', { started: Date.now() });
    this.emit({ type: 'state', job: this.store.get(id) });
    const context: JobContext = { emit: (event) => this.record(active, event), signal: active.abort.signal };
    try {
      const result = await kind.run(input as never, context);
      this.settle(active, active.abort.signal.aborted ? this.abortedState(active) : { state: 'succeeded', result });
    } catch (err) {
      this.settle(active, active.abort.signal.aborted ? this.abortedState(active) : { state: 'failed', error: errorLine(err) });
    }
  }

  private abortedState(active: ActiveJob): { state: 'cancelled' | 'interrupted'; error: string } {
    const reason: unknown = active.abort.signal.reason;
    const interrupted = reason instanceof LaminaError && reason.code === 'interrupted';
    return { state: interrupted ? 'interrupted' : 'cancelled', error: errorLine(reason) };
  }

  private settle(active: ActiveJob, outcome: { state: 'succeeded' | 'failed' | 'cancelled' | 'interrupted'; error?: string; result?: unknown }): void {
    // A stop the job did not choose gets its own last line, so the log does not end as if it were still running.
    if (outcome.state === 'cancelled' || outcome.state === 'interrupted') {
      active.pending.push({ time: Date.now(), stream: 'info', text: `${outcome.state === 'cancelled' ? 'Cancelled' : 'Interrupted'}: ${outcome.error ?? 'stopped'}` });
      active.dirty = true;
    }
    this.flush(active);
    this.active.delete(active.id);
    this.running--;
    this.finish(active.id, outcome.state, outcome);
    this.pump();
  }

  private finish(id: number, state: 'succeeded' | 'failed' | 'cancelled' | 'interrupted', fields: { error?: string; result?: unknown }): JobSummary {
    this.store.setState(id, state, { ...fields, finished: Date.now() });
    const job = this.store.get(id);
    this.emit({ type: 'state', job });
    for (const resolve of this.waiters.get(id) ?? []) resolve(job);
    this.waiters.delete(id);
    return job;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!.run();
    }
  }

  private record(active: ActiveJob, event: JobEvent): void {
    if (!this.active.has(active.id)) return;
    if (event.type === 'log') {
      // One event may carry several lines (a chunk of a child's output).
      for (const text of event.text.replace(/\r?\n$/, '').split(/\r?\n/)) active.pending.push({ time: Date.now(), stream: event.stream ?? 'out', text });
    } else if (event.type === 'phase') {
      active.phase = event.name;
    } else if (event.type === 'detail') {
      active.detail = event.detail;
    } else {
      active.progress = { done: event.done, total: event.total, unit: event.unit };
    }
    active.dirty = true;
  }

  private flushAll(): void {
    for (const active of this.active.values()) this.flush(active);
  }

  private flush(active: ActiveJob): void {
    if (!active.dirty) return;
    const lines = active.pending.splice(0);
    const firstSeq = active.stored + 1;
    this.store.flush(active.id, active, firstSeq, lines);
    active.stored += lines.length;
    active.dirty = false;
    if (lines.length > 0) {
      this.emit({ type: 'log', jobId: active.id, lines: lines.map((line, i) => ({ seq: firstSeq + i, ...line })) });
    }
    this.emit({ type: 'state', job: this.store.get(active.id) });
  }

  /** Queued or running jobs whose process died can never finish: say so. */
  private markInterrupted(): void {
    for (const { job, owner } of this.store.unfinished()) {
      if (ownerIsGone(owner)) {
        this.finish(job.id, 'interrupted', { error: 'the Lamina process running this job stopped before it finished; run it again' });
      }
    }
  }

  private ownerOf(id: number): string {
    return this.store.unfinished().find((u) => u.job.id === id)?.owner ?? 'unknown';
  }

  private emit(event: RunnerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener (a closed window) must not stop the job or other listeners.
        console.error(`lamina: a job listener failed: ${errorLine(err)}`);
      }
    }
  }
}
