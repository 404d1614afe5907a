import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import type { JobProgress, JobState, JobSummary, LogLine, LogStream } from '../../../src-shared/jobs.js';

interface JobRow {
  id: number;
  kind: string;
  title: string;
  state: JobState;
  phase: string | null;
  progress: string | null;
  detail: string | null;
  result: string | null;
  error: string | null;
  owner: string;
  log_lines: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const SUMMARY_COLUMNS = 'id, kind, title, state, phase, progress, detail, result, error, owner, log_lines, created_at, started_at, finished_at';

function toSummary(row: JobRow): JobSummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    phase: row.phase,
    progress: row.progress === null ? null : (JSON.parse(row.progress) as JobProgress),
    detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
    error: row.error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    logLines: row.log_lines,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** What a running job reports besides log lines, as it stands now. */
export interface JobStatus {
  readonly phase: string | null;
  readonly progress: JobProgress | null;
  readonly detail: unknown;
}

export interface NewLogLine {
  readonly time: number;
  readonly stream: LogStream;
  readonly text: string;
}

/** The jobs tables: every query the runner needs, as prepared statements. */
export class JobStore {
  private readonly insertJob;
  private readonly selectJob;
  private readonly selectJobs;
  private readonly selectUnfinished;
  private readonly updateState;
  private readonly updateProgress;
  private readonly insertLine;
  private readonly bumpLines;
  private readonly selectLines;
  private readonly selectInput;

  constructor(private readonly db: Db) {
    this.insertJob = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO jobs (kind, title, input, state, owner, created_at) VALUES (?, ?, ?, 'queued', ?, ?) RETURNING ${SUMMARY_COLUMNS}`,
    );
    this.selectJob = db.prepare<[number], JobRow>(`SELECT ${SUMMARY_COLUMNS} FROM jobs WHERE id = ?`);
    this.selectJobs = db.prepare<[number], JobRow>(`SELECT ${SUMMARY_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?`);
    this.selectUnfinished = db.prepare<[], JobRow>(`SELECT ${SUMMARY_COLUMNS} FROM jobs WHERE state IN ('queued', 'running')`);
    this.updateState = db.prepare<{ id: number; state: JobState; error: string | null; result: string | null; started: number | null; finished: number | null }>(
      `UPDATE jobs SET state = @state, error = @error, result = @result,
         started_at = coalesce(started_at, @started), finished_at = @finished WHERE id = @id`,
    );
    this.updateProgress = db.prepare<{ id: number; phase: string | null; progress: string | null; detail: string | null }>(
      'UPDATE jobs SET phase = @phase, progress = @progress, detail = @detail WHERE id = @id',
    );
    this.insertLine = db.prepare<[number, number, number, LogStream, string]>(
      'INSERT INTO job_logs (job_id, seq, time, stream, text) VALUES (?, ?, ?, ?, ?)',
    );
    this.bumpLines = db.prepare<[number, number]>('UPDATE jobs SET log_lines = ? WHERE id = ?');
    this.selectLines = db.prepare<[number, number, number], LogLine>(
      'SELECT seq, time, stream, text FROM job_logs WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.selectInput = db.prepare<[number], { input: string }>('SELECT input FROM jobs WHERE id = ?');
  }

  create(kind: string, title: string, input: unknown, owner: string, now: number): JobSummary {
    return toSummary(this.insertJob.get(kind, title, JSON.stringify(input), owner, now) as JobRow);
  }

  get(id: number): JobSummary {
    const row = this.selectJob.get(id);
    if (!row) throw new LaminaError(`there is no job ${id}; list the jobs to see which exist`, 'job-not-found');
    return toSummary(row);
  }

  list(limit: number): JobSummary[] {
    return this.selectJobs.all(limit).map(toSummary);
  }

  input(id: number): unknown {
    const row = this.selectInput.get(id);
    if (!row) throw new LaminaError(`there is no job ${id}; list the jobs to see which exist`, 'job-not-found');
    return JSON.parse(row.input) as unknown;
  }

  /** Queued or running jobs with the process that owns each. */
  unfinished(): { job: JobSummary; owner: string }[] {
    return this.selectUnfinished.all().map((row) => ({ job: toSummary(row), owner: row.owner }));
  }

  setState(id: number, state: JobState, fields: { error?: string; result?: unknown; started?: number; finished?: number }): void {
    this.updateState.run({
      id,
      state,
      error: fields.error ?? null,
      result: fields.result === undefined ? null : JSON.stringify(fields.result),
      started: fields.started ?? null,
      finished: fields.finished ?? null,
    });
  }

  /**
   * Stores one batch: phase, progress and detail as they are now, and the new log
   * lines, numbered after `firstSeq - 1`, in one transaction (one fsync per batch, not per line).
   */
  readonly flush = (id: number, status: JobStatus, firstSeq: number, lines: readonly NewLogLine[]): void => {
    const { phase, progress, detail } = status;
    this.db.transaction(() => {
      this.updateProgress.run({ id, phase, progress: progress === null ? null : JSON.stringify(progress), detail: detail === null ? null : JSON.stringify(detail) });
      lines.forEach((line, i) => this.insertLine.run(id, firstSeq + i, line.time, line.stream, line.text));
      if (lines.length > 0) this.bumpLines.run(firstSeq + lines.length - 1, id);
    }).immediate();
  };

  lines(id: number, after: number, limit: number): LogLine[] {
    return this.selectLines.all(id, after, limit);
  }
}
